/**
 * Hostile input at the market's calls: every one is refused with a code and a sentence,
 * nothing is written, and the provider keeps answering.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';

test('market calls refuse hostile input with a code and keep answering', { timeout: 60_000 }, async () => {
  const data = await tempDir('hearth-market-input-');
  const provider = await createProvider(testPorts(data.dir), { devnet: 'off' });
  try {
    // The ledger opens during start; wait until the calls answer.
    await waitFor(async () => ((await provider.dispatch('market:jobs', {})).ok ? true : undefined), 'the ledger', 10_000);
    const refused = async (channel: string, payload: unknown, code?: string) => {
      const envelope = await provider.dispatch(channel, payload);
      assert.equal(envelope.ok, false, `${channel} ${JSON.stringify(payload).slice(0, 80)} was accepted`);
      if (!envelope.ok) {
        if (code) assert.equal(envelope.code, code, envelope.message);
        assert.ok(envelope.message.length > 10 && !/at .*\.ts:\d+/.test(envelope.message), `a sentence, not a stack: ${envelope.message}`);
      }
    };
    await refused('market:job', { key: '../../../etc/passwd' }, 'unknown_job');
    await refused('market:job', { key: 'x'.repeat(10_000) });
    await refused('market:job', { key: { $ne: null } });
    await refused('market:job', { key: 'a', extra: 1 });
    await refused('market:jobs', { limit: 1e9 });
    await refused('market:jobs', { filter: '__proto__' });
    await refused('market:jobs', { search: 'x'.repeat(1000) });
    await refused('market:jobs', { before: 'yesterday' });
    for (const stake of ['1e30', '-1', '0x10', '1'.repeat(40), '1.0000000000000000001', '']) {
      await refused('market:preview-register', { classLabel: 'cpu', stake });
      await refused('market:register', { classLabel: 'cpu', stake });
    }
    await refused('market:register', { classLabel: 'c'.repeat(65), stake: '100' });
    await refused('market:register', { classLabel: 'cpu', stake: '100', to: '0x0000000000000000000000000000000000000001' });
    // With no chain and no wallet, a valid registration is refused with what to do, never sent.
    await refused('market:register', { classLabel: 'cpu', stake: '100' }, 'no_wallet');
    // A SQL-looking search is only text.
    const list = await provider.dispatch('market:jobs', { search: "'; DROP TABLE jobs; --" });
    assert.deepEqual(list, { ok: true, value: { jobs: [], total: 0 } });
    const status = await provider.dispatch('market:status', {});
    assert.equal(status.ok, true);
    if (status.ok) assert.equal((status.value as { state: string }).state, 'no-network');
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});
