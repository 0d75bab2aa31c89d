import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../node-ports.ts';
import { openSettingsStore } from '../settings/store.ts';
import { memoryLogger, steppingClock } from '../test-support.ts';
import { ChainService } from './chain-service.ts';
import type { Clock } from '../ports.ts';

/** A node answering chain id 31337 and the current `block`, counting block-number polls. */
async function countingNode() {
  const node = { block: 1, polls: 0, url: '', close: () => undefined as void };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      if (method === 'eth_blockNumber') node.polls++;
      const result = method === 'eth_chainId' ? '0x7a69' : `0x${node.block.toString(16)}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  node.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  node.close = () => void server.close();
  return node;
}

/** The chain service on `rpcUrl` as its local devnet. */
async function devnetChain(rpcUrl: string, clock: Clock, pollMs: { devnet: number; remote: number; quiet: number }, onBlock: (n: number) => void = () => undefined) {
  return new ChainService({
    clock,
    logger: memoryLogger(),
    settings: await openSettingsStore(mkdtempSync(join(tmpdir(), 'hearth-poll-'))),
    devnetMode: 'auto',
    startDevnet: async () => ({ rpcUrl, chainId: 31337, accounts: [], stop: async () => undefined }),
    pollMs,
    onStatus: () => undefined,
    onBlock,
  });
}

// A daemon at rest must not ask the local chain for its block number every second forever:
// the chain mines only on transactions. Fast while blocks come or right after a send, slow after.
test('the devnet is polled fast after a block or a sent transaction, then at the slow pace', async () => {
  const node = await countingNode();
  const chain = await devnetChain(node.url, systemClock, { devnet: 50, remote: 1000, quiet: 600 });
  const countOver = async (ms: number): Promise<number> => {
    const start = node.polls;
    await new Promise((r) => setTimeout(r, ms));
    return node.polls - start;
  };
  try {
    chain.start();
    assert.ok((await countOver(500)) >= 4, 'fast while the chain has just started');
    await countOver(700); // the quiet period runs out
    assert.ok((await countOver(1500)) <= 3, 'slow once nothing happens');
    node.block = 2; // a block arrives: the next slow poll sees it and the pace is fast again
    await countOver(1100);
    assert.ok((await countOver(400)) >= 3, 'fast again after a new block');
    await countOver(900);
    chain.hurry(); // a transaction was sent
    assert.ok((await countOver(400)) >= 3, 'fast again right after a send');
  } finally {
    await chain.stop();
    node.close();
  }
});

// A clock set back a day (NTP after a wrong RTC, a user fixing the time) used to stop the
// polling until the clock caught up: no new blocks, no confirmations, no market loop.
test('the chain is still polled after the clock is set back a day, and a new block is seen', async () => {
  const node = await countingNode();
  const clock = steppingClock();
  const blocks: number[] = [];
  const chain = await devnetChain(node.url, clock, { devnet: 50, remote: 200, quiet: 600 }, (n) => blocks.push(n));
  try {
    chain.start();
    await new Promise((r) => setTimeout(r, 300));
    clock.jump(-86_400_000);
    const before = node.polls;
    node.block = 2;
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(node.polls - before >= 3, `polled ${node.polls - before} times in the second after the step back`);
    assert.deepEqual(blocks, [1, 2]);
    assert.equal(chain.status().blockNumber, 2);
  } finally {
    await chain.stop();
    node.close();
  }
});
