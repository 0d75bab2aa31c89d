// The Earn chart's history must grow while nobody has the page open: the capability samples
// the positions on its own timer (10 minutes; shortened here through the clock port).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Wallet } from 'ethers';
import { contract } from '../../common/ipc/contract.ts';
import { createClient } from '../../common/ipc/client.ts';
import { createMemoryPair } from '../../common/ipc/memory-transport.ts';
import { systemClock } from '../node-ports.ts';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';

test('value samples are recorded in the background without anyone reading the positions', { timeout: 200_000 }, async () => {
  const data = await tempDir('hearth-positions-bg-');
  const clock = { ...systemClock, setInterval: (cb: () => void, ms: number) => systemClock.setInterval(cb, ms === 10 * 60_000 ? 300 : ms) };
  const provider = await createProvider(testPorts(data.dir, { clock }));
  const pair = createMemoryPair((channel, payload) => provider.dispatch(channel, payload));
  const client = createClient(contract, pair.client);
  try {
    await waitFor(async () => ((await client.call('chain:status', {})).connection === 'ready' ? true : undefined), 'devnet ready', 90_000);
    assert.deepEqual((await client.call('positions:history', {})).samples, [], 'no wallet: nothing to sample');
    await client.call('wallet:import', { kind: 'privateKey', privateKey: Wallet.createRandom().privateKey, password: 'correct horse battery' });
    await client.call('wallet:get-test-funds', {});
    // A background sample already in flight when the funds land records the old total, and
    // samples are at most one a minute: the funds can take up to a minute more to show.
    const samples = await waitFor(async () => {
      const { samples } = await client.call('positions:history', {});
      return samples.some((s) => BigInt(s.totalTokenWei) > 0n) ? samples : undefined;
    }, 'a background sample with the test funds in it', 75_000);
    assert.ok(samples.every((s) => s.stakingWei === '0'), 'nothing staked yet');
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});
