import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts } from './testing/harness.ts';

test('HEARTH_DEVNET=off: no local node, a clear network error, the wallet itself still works', async (t) => {
  const data = await tempDir();
  const previous = process.env.HEARTH_DEVNET;
  process.env.HEARTH_DEVNET = 'off';
  const provider = await createProvider(testPorts(data.dir));
  t.after(async () => {
    await provider.stop();
    await data.remove();
    if (previous === undefined) delete process.env.HEARTH_DEVNET;
    else process.env.HEARTH_DEVNET = previous;
  });
  const chain = await provider.dispatch('chain:status', {});
  assert.ok(chain.ok);
  const status = chain.value as { devnet: { state: string }; connection: string; error: string };
  assert.equal(status.devnet.state, 'off');
  assert.equal(status.connection, 'unreachable');
  assert.match(status.error, /HEARTH_DEVNET=off/);

  const faucet = await provider.dispatch('wallet:get-test-funds', {});
  assert.deepEqual(faucet.ok ? null : faucet.code, 'no_wallet');
  const imported = await provider.dispatch('wallet:import', {
    kind: 'privateKey',
    privateKey: `0x${'22'.repeat(32)}`,
    password: 'a fine password',
  });
  assert.ok(imported.ok);
  const send = await provider.dispatch('wallet:preview-send', { to: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', amount: '1' });
  assert.equal(send.ok ? null : send.code, 'network_unavailable');
  const funds = await provider.dispatch('wallet:get-test-funds', {});
  assert.equal(funds.ok ? null : funds.code, 'faucet_unavailable');
});
