/**
 * The local chain killed under a running Hearth (a crash, an OOM kill, a user's `kill`):
 * Hearth starts it again from its state file, on a new port, with the protocol and the
 * balances still there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Wallet } from 'ethers';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';

const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => waitFor(probe, what, timeoutMs);

test('a local chain killed under Hearth comes back from its state file with the protocol and balances', { timeout: 120_000 }, async () => {
  const data = await tempDir('hearth-chain-restart-');
  const provider = await createProvider(testPorts(data.dir));
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const envelope = await provider.dispatch(channel, payload);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.message}`);
    return envelope.value as T;
  };
  type Chain = { connection: string; devnet: { state: string }; network: { rpcUrls: string[] } };
  type WalletView = { balances: { symbol: string; balance: string }[] };
  try {
    const first = await until('the chain', 60_000, async () => {
      const s = await call<Chain>('chain:status');
      return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
    });
    await call('wallet:import', { kind: 'privateKey', privateKey: Wallet.createRandom().privateKey, password: 'correct horse battery' });
    await call('wallet:get-test-funds');
    const funded = await until('test funds', 30_000, async () => {
      const w = await call<WalletView>('wallet:status');
      return w.balances.find((b) => b.symbol === 'HRTH' && b.balance !== '0');
    });
    // Wait past Anvil's state interval so the funds are on disk, then kill Anvil itself.
    await new Promise((r) => setTimeout(r, 6_000));
    const port = new URL(first.network.rpcUrls[0]!).port;
    const pids = execFileSync('pgrep', ['-f', `anvil.*--port ${port}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.ok(pids.length > 0, 'found the anvil process');
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');

    const second = await until('the chain to come back', 60_000, async () => {
      const s = await call<Chain>('chain:status');
      return s.connection === 'ready' && s.devnet.state === 'ready' && s.network.rpcUrls[0] !== first.network.rpcUrls[0] ? s : undefined;
    });
    assert.notEqual(second.network.rpcUrls[0], first.network.rpcUrls[0]);
    const again = await until('the balance on the restarted chain', 30_000, async () => {
      const w = await call<WalletView>('wallet:status');
      return w.balances.find((b) => b.symbol === 'HRTH');
    });
    assert.equal(again.balance, funded.balance, 'the token balance survived the kill');
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});
