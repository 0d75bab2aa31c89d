import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { systemClock } from '../node-ports.ts';
import { memoryLogger, tempDir, waitFor } from '../wallet/testing/harness.ts';
import { startDevnet, type Devnet } from './devnet.ts';
import { createRpcClient, type RpcClient } from './rpc.ts';
import { TxJournal } from './tx-journal.ts';
import { TxManager, type ActiveNetwork } from './tx-manager.ts';
import type { TxRecordView } from '../../common/ipc/groups/chain.ts';

/** Transaction manager on a real local node: nonces, replacement, crash/restart. */
let devnet: Devnet;
let rpc: RpcClient;

const balance = async (address: string) => BigInt(await rpc.request<string>('eth_getBalance', [address, 'latest']));
const nonceOf = async (address: string, tag = 'latest') => Number(BigInt(await rpc.request<string>('eth_getTransactionCount', [address, tag])));
const mine = () => rpc.request('evm_mine');
const automine = (on: boolean) => rpc.request('evm_setAutomine', [on]);

async function manager(path: string, client: RpcClient = rpc): Promise<{ txs: TxManager; changes: TxRecordView[] }> {
  const journal = await TxJournal.open(path, Date.now, () => undefined);
  const changes: TxRecordView[] = [];
  const net: ActiveNetwork = { id: 'devnet', chainId: devnet.chainId, rpc: client, explorerUrl: null };
  const txs = new TxManager({ journal, clock: systemClock, logger: memoryLogger(), network: () => net, confirmations: () => 1, onChange: (tx) => changes.push(tx) });
  return { txs, changes };
}

async function settle(txs: TxManager, id: string): Promise<TxRecordView> {
  return waitFor(async () => {
    await txs.poll();
    const found = txs.list().find((t) => t.id === id);
    return found && found.status !== 'pending' ? found : undefined;
  }, `tx ${id} to settle`);
}

test('transaction manager on a real devnet', { timeout: 120_000 }, async (t) => {
  // No interval blocks: the stuck-transaction tests hold the mempool with evm_setAutomine.
  devnet = await startDevnet({ blockTimeSeconds: 0 });
  rpc = createRpcClient({ urls: [devnet.rpcUrl], clock: systemClock });
  const dir = await tempDir('hearth-tx-');
  t.after(async () => {
    await devnet.stop();
    await dir.remove();
  });
  const accounts = devnet.accounts;

  await t.test('consecutive sends get consecutive nonces and confirm', async () => {
    const signer = new Wallet(accounts[1]!.privateKey);
    const { txs } = await manager(join(dir.dir, 'a.json'));
    const start = await nonceOf(signer.address);
    const sent = await Promise.all([0, 1, 2].map((i) => txs.send({ to: accounts[2]!.address, valueWei: BigInt(i + 1), gasLimit: 21_000n, label: `n${i}` }, signer)));
    assert.deepEqual(sent.map((s) => s.nonce).sort(), [start, start + 1, start + 2]);
    for (const s of sent) assert.equal((await settle(txs, s.id)).status, 'confirmed');
  });

  await t.test('a stuck transaction is replaced (speed-up) and only the replacement lands', async () => {
    const signer = new Wallet(accounts[3]!.privateKey);
    const to = accounts[4]!.address;
    const { txs } = await manager(join(dir.dir, 'b.json'));
    await automine(false);
    try {
      const before = await balance(to);
      const tx = await txs.send({ to, valueWei: 1000n, gasLimit: 21_000n, label: 'stuck' }, signer);
      await txs.poll();
      assert.equal(txs.list()[0]!.status, 'pending');
      const faster = await txs.speedUp(tx.id, signer);
      assert.equal(faster.hashes.length, 2);
      assert.ok(BigInt(faster.maxPriorityFeePerGas) > BigInt(tx.maxPriorityFeePerGas));
      assert.equal(faster.nonce, tx.nonce);
      await mine();
      const done = await settle(txs, tx.id);
      assert.equal(done.status, 'confirmed');
      assert.equal(done.hash, faster.hashes[1]);
      assert.equal((await balance(to)) - before, 1000n, 'paid exactly once');
    } finally {
      await automine(true);
    }
  });

  await t.test('cancel replaces a pending send with a 0-value self send', async () => {
    const signer = new Wallet(accounts[5]!.privateKey);
    const to = accounts[6]!.address;
    const { txs } = await manager(join(dir.dir, 'c.json'));
    await automine(false);
    try {
      const before = await balance(to);
      const tx = await txs.send({ to, valueWei: 5000n, gasLimit: 21_000n, label: 'oops' }, signer);
      const cancelled = await txs.cancel(tx.id, signer);
      assert.match(cancelled.label, /^Cancel/);
      await mine();
      await settle(txs, tx.id);
      assert.equal(await balance(to), before, 'the original never landed');
    } finally {
      await automine(true);
    }
  });

  await t.test('restart with a journaled transaction that never reached the node: re-sent once, not twice', async () => {
    const signer = new Wallet(accounts[7]!.privateKey);
    const to = accounts[8]!.address;
    const path = join(dir.dir, 'd.json');
    // A node that accepts every call but refuses connections for broadcasts, like a crash right after journaling.
    const flaky = createRpcClient({
      urls: [devnet.rpcUrl],
      clock: systemClock,
      rounds: 1,
      fetchImpl: async (url, init) => {
        if (typeof init?.body === 'string' && init.body.includes('eth_sendRawTransaction')) throw new TypeError('fetch failed');
        return fetch(url, init);
      },
    });
    const first = await manager(path, flaky);
    const before = await balance(to);
    const startNonce = await nonceOf(signer.address);
    const tx = await first.txs.send({ to, valueWei: 777n, gasLimit: 21_000n, label: 'survives' }, signer);
    assert.equal(tx.status, 'pending');
    assert.match(tx.error ?? '', /re-sending/);
    assert.equal(await nonceOf(signer.address, 'pending'), startNonce, 'nothing reached the node');

    const second = await manager(path); // "restart": a new manager over the same journal
    assert.equal(second.txs.list()[0]!.id, tx.id);
    const done = await settle(second.txs, tx.id);
    assert.equal(done.status, 'confirmed');
    await second.txs.poll();
    await second.txs.poll();
    assert.equal((await balance(to)) - before, 777n, 'sent exactly once');
    assert.equal(await nonceOf(signer.address), startNonce + 1);
  });

  await t.test('restart with a broadcast pending transaction: the next send takes the next nonce', async () => {
    const signer = new Wallet(accounts[10]!.privateKey);
    const to = accounts[11]!.address;
    const path = join(dir.dir, 'e.json');
    await automine(false);
    try {
      const first = await manager(path);
      const a = await first.txs.send({ to, valueWei: 1n, gasLimit: 21_000n, label: 'a' }, signer);
      const second = await manager(path);
      const b = await second.txs.send({ to, valueWei: 2n, gasLimit: 21_000n, label: 'b' }, signer);
      assert.equal(b.nonce, a.nonce + 1);
      await mine();
      assert.equal((await settle(second.txs, a.id)).status, 'confirmed');
      assert.equal((await settle(second.txs, b.id)).status, 'confirmed');
    } finally {
      await automine(true);
    }
  });

  await t.test('a refused broadcast is marked failed and reported with a code', async () => {
    const poor = Wallet.createRandom();
    const { txs } = await manager(join(dir.dir, 'f.json'));
    await assert.rejects(
      txs.send({ to: accounts[0]!.address, valueWei: 10n ** 18n, gasLimit: 21_000n, label: 'no money' }, poor),
      (error: { code?: string }) => error.code === 'insufficient_funds',
    );
    assert.equal(txs.list()[0]!.status, 'failed');
  });
});
