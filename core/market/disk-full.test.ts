import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { smallDisk } from '../fs/testing/full-disk.ts';
import { jobKey, openLedger } from '../ledger/index.ts';
import { MARKET, PROVIDER, manualClock, sampleJob } from '../ledger/testing/support.ts';
import { marketIface } from './chain-reads.ts';
import { applyMarketLogs, type EventContext, type MarketLog } from './events.ts';

const disk = smallDisk(4096);
after(() => typeof disk !== 'string' && disk.unmount());

test('a market log the full disk refuses stops the poll (so its cursor stays behind it) instead of being skipped, and is recorded once there is room', { skip: typeof disk === 'string' ? disk : false }, (t) => {
  if (typeof disk === 'string') return;
  t.after(() => disk.free());
  const ledger = openLedger({ path: join(disk.dir, 'ledger.sqlite'), clock: manualClock() });
  t.after(() => ledger.close());
  const key = jobKey(31337, MARKET.toLowerCase(), '7');
  ledger.addJob(sampleJob(7));
  ledger.transition(key, 'claiming', null, { pricePerUnitWei: '900' });
  const encoded = marketIface.encodeEventLog('JobClaimed', [7n, PROVIDER, 1, 900n, 0n]);
  const claimed: MarketLog = { address: MARKET, topics: encoded.topics, data: encoded.data, blockNumber: '0x10', transactionHash: `0x${'ee'.repeat(32)}`, logIndex: '0x0' };
  const ctx: EventContext = { ledger, chainId: 31337, me: PROVIDER.toLowerCase(), onPosted: () => undefined, now: () => 0, symbol: 'HRT' };
  const refused: unknown[] = [];
  // Grow the history until a transition no longer fits (SQLite reuses its files' free pages first).
  disk.fill();
  for (let i = 100; ; i++) {
    try {
      ledger.addJob(sampleJob(i, { inputUri: `http://127.0.0.1/${'x'.repeat(3000)}` }));
    } catch {
      break;
    }
  }
  assert.throws(() => applyMarketLogs([claimed], () => ctx, (_log, error) => refused.push(error)), { code: 'disk_full' });
  assert.equal(refused.length, 0, 'not passed off as a bad log');
  assert.equal(ledger.getJob(key)?.state, 'claiming');
  disk.free();
  applyMarketLogs([claimed], () => ctx, (_log, error) => refused.push(error));
  assert.equal(ledger.getJob(key)?.state, 'claimed');
  assert.equal(refused.length, 0);
});
