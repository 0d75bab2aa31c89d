import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider } from '../provider.ts';
import { testPorts } from '../test-support.ts';
import { TxJournal, type StoredTx } from '../chain/tx-journal.ts';
import { smallDisk, strayFiles } from './testing/full-disk.ts';

// These run on a real full disk (a small tmpfs filled to the last block), not on a simulated error.
const disk = smallDisk(6144);
const skip = typeof disk === 'string' ? disk : false;
after(() => typeof disk !== 'string' && disk.unmount());

function failedWith(envelope: { ok: boolean; code?: string; message?: string }, what: RegExp): void {
  assert.equal(envelope.ok, false, 'the call failed');
  assert.equal(envelope.code, 'disk_full');
  assert.match(envelope.message ?? '', /^The disk is full: /);
  assert.match(envelope.message ?? '', what);
  assert.match(envelope.message ?? '', /the previous version is kept\. Free some space on that disk/);
}

test('settings and wallet saves on a full disk: a readable error in the envelope, the old files intact, no leftovers, and saving works once space is back', { skip }, async (t) => {
  if (typeof disk === 'string') return;
  t.after(() => disk.free());
  const dataDir = join(disk.dir, 'data');
  const provider = await createProvider(testPorts(dataDir), { devnet: 'off' });
  t.after(() => provider.stop());

  // Settings.
  assert.ok((await provider.dispatch('settings:update', { general: { theme: 'dark' } })).ok);
  const settingsPath = join(dataDir, 'settings.json');
  const settingsBefore = readFileSync(settingsPath, 'utf8');
  disk.fill();
  assert.equal(disk.freeBytes(), 0);
  failedWith(await provider.dispatch('settings:update', { general: { theme: 'light' } }), /your settings could not be saved in .*data/);
  assert.equal(readFileSync(settingsPath, 'utf8'), settingsBefore);
  const current = await provider.dispatch('settings:get', {});
  assert.equal(current.ok && (current.value as { general: { theme: string } }).general.theme, 'dark', 'the settings in use are the saved ones');
  assert.deepEqual(strayFiles(dataDir), []);
  disk.free();
  assert.ok((await provider.dispatch('settings:update', { general: { theme: 'light' } })).ok);
  assert.match(readFileSync(settingsPath, 'utf8'), /"theme": "light"/);

  // The wallet file (keystore and accounts).
  const imported = await provider.dispatch('wallet:import', { kind: 'mnemonic', mnemonic: 'test test test test test test test test test test test junk', password: 'a fine password' });
  assert.ok(imported.ok, imported.ok ? '' : imported.message);
  const walletPath = join(dataDir, 'wallet', 'keystore.json');
  const walletBefore = readFileSync(walletPath, 'utf8');
  disk.fill();
  failedWith(await provider.dispatch('wallet:add-account', {}), /the wallet could not be saved in .*wallet/);
  assert.equal(readFileSync(walletPath, 'utf8'), walletBefore);
  assert.deepEqual(strayFiles(dataDir), [], 'no temp file and no copy kept aside');
  const status = await provider.dispatch('wallet:status', {});
  assert.equal(status.ok && (status.value as { accounts: unknown[] }).accounts.length, 1);
  disk.free();
  const added = await provider.dispatch('wallet:add-account', {});
  assert.ok(added.ok, added.ok ? '' : added.message);
  assert.equal((added.value as { accounts: unknown[] }).accounts.length, 2);
  assert.equal(existsSync(join(dataDir, 'wallet', 'keystore.prev.json')), false);
});

const tx = (id: string, nonce: number): StoredTx => ({
  id,
  chainId: 31337,
  networkId: 'local',
  from: '0x2222222222222222222222222222222222222222',
  nonce,
  label: `send ${nonce}`,
  status: 'pending',
  attempts: [{ hash: `0x${'aa'.repeat(32)}`, raw: '0x02', to: '0x1111111111111111111111111111111111111111', valueWei: '1', data: '0x', gasLimit: '21000', maxFeePerGas: '1', maxPriorityFeePerGas: '1', createdAt: 1 }],
  includedHash: null,
  blockNumber: null,
  confirmations: 0,
  broadcast: false,
  createdAt: 1,
  updatedAt: 1,
  error: null,
});

test('the transaction journal on a full disk keeps no record it could not save (so nothing is sent later that the user was told failed)', { skip }, async (t) => {
  if (typeof disk === 'string') return;
  t.after(() => disk.free());
  const dir = join(disk.dir, 'journal');
  const path = join(dir, 'txs.json');
  const journal = await TxJournal.open(path, () => 1, (m) => assert.fail(m));
  await journal.put(tx('first', 0));
  const before = readFileSync(path, 'utf8');
  disk.fill();
  await assert.rejects(journal.put(tx('second', 1)), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'disk_full');
    assert.match(error.message, /^The disk is full: the transaction journal could not be saved in .*journal, and the previous version is kept/);
    return true;
  });
  assert.deepEqual(journal.all().map((t) => t.id), ['first'], 'the unsaved transaction is not in the journal the resend loop reads');
  assert.equal(readFileSync(path, 'utf8'), before);
  assert.deepEqual(strayFiles(dir), []);
  disk.free();
  await journal.put(tx('second', 1));
  const reopened = await TxJournal.open(path, () => 1, (m) => assert.fail(m));
  assert.deepEqual(reopened.all().map((t) => t.id), ['first', 'second']);
});
