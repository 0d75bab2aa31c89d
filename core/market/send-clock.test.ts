/**
 * Waiting for a market transaction to be included while the wall clock steps: the wait is
 * bounded by its own length, whatever the clock does (a step back of a day used to hold
 * the claim or commit in this wait for a day, the market loop with it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { startDevnet } from '../chain/devnet.ts';
import { createRpcClient } from '../chain/rpc.ts';
import { TxJournal } from '../chain/tx-journal.ts';
import { TxManager } from '../chain/tx-manager.ts';
import { memoryLogger, steppingClock, tempDir } from '../test-support.ts';
import { sendAndWait } from './send.ts';

test('a transaction not yet included is reported pending after the wait, even if the clock stepped back a day during it', { timeout: 30_000 }, async () => {
  const devnet = await startDevnet({ blockTimeSeconds: 0 });
  const dir = await tempDir('hearth-send-clock-');
  const clock = steppingClock();
  try {
    const rpc = createRpcClient({ urls: [devnet.rpcUrl], clock });
    await rpc.request('evm_setAutomine', [false]); // the transaction stays in the pool
    const journal = await TxJournal.open(join(dir.dir, 'txs.json'), () => clock.now(), () => undefined);
    const net = { id: 'devnet', chainId: devnet.chainId, rpc, explorerUrl: null };
    const txs = new TxManager({ journal, clock, logger: memoryLogger(), network: () => net, confirmations: () => 1, onChange: () => undefined });
    const signer = new Wallet(devnet.accounts[3]!.privateKey);
    const began = Date.now();
    const stepped = setTimeout(() => clock.jump(-86_400_000), 400);
    const waited = sendAndWait({ txs, network: () => net, clock, timeoutMs: 2000 }, signer, { to: devnet.accounts[4]!.address, data: '0x', label: 'Test send' });
    await assert.rejects(waited, (e: { code?: string; message?: string }) => e.code === 'tx_pending' && /Test send was sent .* Hearth keeps following it/.test(e.message ?? ''));
    clearTimeout(stepped);
    const took = Date.now() - began;
    assert.ok(took < 8000, `gave up after ${took} ms`);
    // Nothing was sent twice: one transaction in the pool, one in the journal.
    assert.equal(txs.list().length, 1);
    await rpc.request('evm_mine');
    const nonce = Number(BigInt(await rpc.request<string>('eth_getTransactionCount', [signer.address, 'latest'])));
    assert.equal(nonce, 1);
  } finally {
    await devnet.stop();
    await dir.cleanup();
  }
});
