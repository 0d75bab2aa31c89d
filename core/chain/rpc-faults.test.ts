/**
 * A broken or hostile RPC between Hearth and a real Anvil: no answer, a dropped connection,
 * an HTML error page, half a body, the wrong result types, block numbers going backwards,
 * an endless body. Every call must end in bounded time with a reason a person can read,
 * nothing may crash or reject unhandled, a transaction is never sent twice, and once the
 * RPC behaves again everything resumes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { ChainStatus } from '../../common/ipc/groups/chain.ts';
import { systemClock } from '../node-ports.ts';
import { openSettingsStore } from '../settings/store.ts';
import { memoryLogger, tempDir, waitFor } from '../test-support.ts';
import { ChainService } from './chain-service.ts';
import { startDevnet, type Devnet } from './devnet.ts';
import { createRpcClient } from './rpc.ts';
import { startFaultProxy, type FaultMode, type FaultProxy } from './testing/fault-proxy.ts';
import { TxJournal } from './tx-journal.ts';
import { TxManager } from './tx-manager.ts';

/** What a person reads for each fault; none may leak a JavaScript internals message. */
const READABLE: Record<Exclude<FaultMode, 'pass' | 'backwards'>, RegExp> = {
  stall: /no answer within 0\.4 s/,
  drop: /socket hang up|ECONNRESET/,
  html: /HTTP 502/,
  'not-json': /something other than JSON/,
  truncated: /something other than JSON/,
  'wrong-types': /not a hex number/,
  huge: /larger than 32 MiB; refused/,
};
const UNREADABLE = /\[object Object\]|BigInt|Unexpected token|undefined|is not a function/;

let devnet: Devnet;
let proxy: FaultProxy;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

test('Hearth against a faulty RPC in front of a real node', { timeout: 60_000 }, async (t) => {
  process.on('unhandledRejection', onUnhandled);
  devnet = await startDevnet({ blockTimeSeconds: 0 });
  proxy = await startFaultProxy(devnet.rpcUrl, { hugeBytes: 40 * 1024 * 1024 });
  const dir = await tempDir('hearth-rpc-faults-');
  t.after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await proxy.close();
    await devnet.stop();
    await dir.cleanup();
  });
  const rpc = createRpcClient({ urls: [proxy.url], clock: systemClock, timeoutMs: 400, rounds: 2, backoffMs: 20 });

  await t.test('every fault ends within seconds as rpc_unreachable with a readable reason; pass recovers', async () => {
    for (const [mode, reason] of Object.entries(READABLE) as [FaultMode, RegExp][]) {
      proxy.setMode(mode);
      const began = Date.now();
      const error = await rpc.request('eth_blockNumber').then(
        () => assert.fail(`${mode}: the call succeeded`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof HearthError && error.code === 'rpc_unreachable', `${mode}: ${String(error)}`);
      assert.match(error.message, reason, mode);
      assert.doesNotMatch(error.message, UNREADABLE, mode);
      assert.ok(Date.now() - began < 5_000, `${mode} took ${Date.now() - began} ms`);
      proxy.setMode('pass');
      assert.match(await rpc.request<string>('eth_blockNumber'), /^0x[0-9a-f]+$/, `${mode}: recovers on pass`);
    }
    // Other result shapes a caller would trip over: a list of logs that is not a list, a non-hash for a sent tx.
    proxy.setMode('wrong-types');
    await assert.rejects(rpc.request('eth_getLogs', [{}]), /not a list of logs/);
    await assert.rejects(rpc.request('eth_getTransactionReceipt', ['0x' + '0'.repeat(64)]), /not an object/);
    proxy.setMode('pass');
  });

  await t.test('the chain status shows each fault while it lasts and comes back to ready by itself', async () => {
    const settings = await openSettingsStore(join(dir.dir, 'settings'));
    await settings.update({ wallet: { networks: [{ id: 'flaky', name: 'Flaky', chainId: 31337, rpcUrls: [proxy.url], tokens: [] }], network: 'flaky' } });
    const blocks: number[] = [];
    const chain = new ChainService({
      clock: systemClock,
      logger: memoryLogger(),
      settings,
      devnetMode: 'off',
      startDevnet: () => Promise.reject(new Error('not used')),
      pollMs: { devnet: 50, remote: 100 },
      rpc: { timeoutMs: 400, rounds: 2, backoffMs: 20 },
      onStatus: () => undefined,
      onBlock: (n) => blocks.push(n),
    });
    const until = (what: string, ok: (s: ChainStatus) => boolean): Promise<ChainStatus> => waitFor(async () => (ok(chain.status()) ? chain.status() : undefined), what, 10_000);
    chain.start();
    try {
      await until('ready', (s) => s.connection === 'ready' && s.blockNumber !== null);
      for (const [mode, reason] of Object.entries(READABLE) as [FaultMode, RegExp][]) {
        proxy.setMode(mode);
        const down = await until(`${mode} to show`, (s) => s.connection === 'unreachable');
        assert.match(down.error ?? '', reason, mode);
        assert.doesNotMatch(down.error ?? '', UNREADABLE, mode);
        proxy.setMode('pass');
        await until(`ready after ${mode}`, (s) => s.connection === 'ready' && s.error === null);
      }
      // A node that claims the chain went back to block 1 is followed, not trusted into a crash.
      await rpc.request('evm_mine');
      await rpc.request('evm_mine');
      const real = Number(BigInt(await rpc.request<string>('eth_blockNumber')));
      await until('the real head', (s) => s.blockNumber === real);
      proxy.setMode('backwards');
      await until('the lie', (s) => s.blockNumber === 1);
      proxy.setMode('pass');
      await until('the real head again', (s) => s.blockNumber === real && s.connection === 'ready');
    } finally {
      await chain.stop();
    }
  });

  await t.test('a transaction whose send fails in any way is sent once and confirms after the RPC recovers', async () => {
    const journal = await TxJournal.open(join(dir.dir, 'txs.json'), Date.now, () => undefined);
    const net = { id: 'flaky', chainId: devnet.chainId, rpc, explorerUrl: null };
    const txs = new TxManager({ journal, clock: systemClock, logger: memoryLogger(), network: () => net, confirmations: () => 1, onChange: () => undefined });
    const signer = new Wallet(devnet.accounts[5]!.privateKey);
    const nonceOf = async (): Promise<number> => Number(BigInt(await rpc.request<string>('eth_getTransactionCount', [signer.address, 'latest'])));
    const start = await nonceOf();
    const modes: FaultMode[] = ['drop', 'stall', 'html', 'truncated', 'wrong-types', 'huge'];
    for (const [i, mode] of modes.entries()) {
      proxy.setMode(mode, 'eth_sendRawTransaction');
      const sent = await txs.send({ to: devnet.accounts[6]!.address, valueWei: BigInt(i + 1), gasLimit: 21_000n, label: mode }, signer);
      assert.equal(sent.status, 'pending', mode);
      assert.equal(sent.nonce, start + i, `${mode}: the next nonce, not a new one per retry`);
      proxy.setMode('pass');
      const done = await waitFor(async () => {
        await txs.poll();
        const found = txs.list().find((x) => x.id === sent.id)!;
        return found.status === 'pending' ? undefined : found;
      }, `${mode} tx to confirm`, 10_000);
      assert.equal(done.status, 'confirmed', `${mode}: ${done.error}`);
      assert.equal(done.hash, sent.hash, `${mode}: the same signed bytes, not a second transaction`);
    }
    assert.equal(await nonceOf(), start + modes.length, 'one transaction on chain per send');
    assert.equal(txs.list().length, modes.length);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });
});
