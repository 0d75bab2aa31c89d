/**
 * Hostile input at the positions calls: every one is refused with a code and a sentence,
 * nothing is written, and the provider keeps answering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';

test('positions calls refuse hostile input with a code and keep answering', { timeout: 60_000 }, async () => {
  const data = await tempDir('hearth-positions-input-');
  const provider = await createProvider(testPorts(data.dir), { devnet: 'off' });
  try {
    await waitFor(async () => ((await provider.dispatch('market:jobs', {})).ok ? true : undefined), 'the ledger', 10_000);
    const refused = async (channel: string, payload: unknown, code?: string) => {
      const envelope = await provider.dispatch(channel, payload);
      assert.equal(envelope.ok, false, `${channel} ${JSON.stringify(payload).slice(0, 80)} was accepted`);
      if (!envelope.ok) {
        if (code) assert.equal(envelope.code, code, envelope.message);
        assert.ok(envelope.message.length > 10 && !/at .*\.ts:\d+/.test(envelope.message), `a sentence, not a stack: ${envelope.message}`);
      }
    };
    for (const channel of ['positions:preview', 'positions:act']) {
      await refused(channel, {});
      await refused(channel, { kind: 'teleport' });
      await refused(channel, { kind: 'stake', classLabel: 'cpu' });
      await refused(channel, { kind: 'stake', classLabel: 'cpu', amount: 5 });
      await refused(channel, { kind: 'stake', classLabel: 'cpu', amount: '1'.repeat(81) });
      await refused(channel, { kind: 'stake', classLabel: 'c'.repeat(65), amount: '1' });
      await refused(channel, { kind: 'stake', classLabel: '', amount: '1' });
      await refused(channel, { kind: 'stake', classLabel: 'cpu', amount: '1', to: '0x0000000000000000000000000000000000000001' });
      await refused(channel, { kind: 'withdraw', classLabel: 'cpu', amount: '1' });
      await refused(channel, { kind: 'set-auto-repay', bps: 10_001 });
      await refused(channel, { kind: 'set-auto-repay', bps: 1.5 });
      await refused(channel, { kind: 'remove-liquidity', percent: 0, slippageBps: 50 });
      await refused(channel, { kind: 'remove-liquidity', percent: 101 });
      await refused(channel, { kind: 'swap', direction: 'up', amount: '1' });
      await refused(channel, { kind: 'swap', direction: 'token-to-eth', amount: '1', slippageBps: 5_001 });
      await refused(channel, { kind: 'swap', direction: 'token-to-eth', amount: '1', slippageBps: -1 });
      await refused(channel, { kind: 'add-liquidity', amount: '1', slippageBps: '50' });
      await refused(channel, { kind: '__proto__', amount: '1' });
      // Well-formed but not a number: refused by core with bad_amount before anything else.
      for (const amount of ['', '-1', '0', '1e18', '0x10', '1.0000000000000000001', 'NaN', 'Infinity']) {
        await refused(channel, { kind: 'stake', classLabel: 'cpu', amount }, 'bad_amount');
        await refused(channel, { kind: 'swap', direction: 'eth-to-token', amount }, 'bad_amount');
      }
    }
    // Valid input with no wallet and no chain: what to do, never a send.
    await refused('positions:act', { kind: 'stake', classLabel: 'cpu', amount: '100' }, 'no_wallet');
    await refused('positions:history', { days: 0 });
    await refused('positions:history', { days: 366 });
    await refused('positions:history', { days: 'all' });
    const view = await provider.dispatch('positions:get', {});
    assert.equal(view.ok, true);
    if (view.ok) assert.match((view.value as { missing: { reason: string }[] }).missing[0]!.reason, /no wallet yet/);
    assert.deepEqual(await provider.dispatch('positions:history', {}), { ok: true, value: { samples: [] } });
    await refused('positions:get', { address: '0x0000000000000000000000000000000000000001' });
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});
