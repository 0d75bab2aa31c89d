/**
 * A network the user adds gets the protocol through its addresses file: checked for its
 * schema, its chain id and the contracts' code before anything is saved; then the market
 * works there as on the local chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts } from '../test-support.ts';

test('an added network takes a checked addresses file, and the market works there', { timeout: 120_000 }, async () => {
  const data = await tempDir('hearth-set-deployment-');
  const provider = await createProvider(testPorts(data.dir));
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const envelope = await provider.dispatch(channel, payload);
    if (!envelope.ok) throw Object.assign(new Error(envelope.message), { code: envelope.code });
    return envelope.value as T;
  };
  const refused = async (payload: unknown, code: string) => {
    await assert.rejects(call('chain:set-deployment', payload), (e: { code?: string; message: string }) => {
      assert.equal(e.code, code, e.message);
      assert.match(e.message, /\./);
      return true;
    });
  };
  try {
    let rpcUrl = '';
    for (let i = 0; i < 300 && !rpcUrl; i++) {
      const s = await call<{ connection: string; devnet: { state: string }; network: { rpcUrls: string[] } }>('chain:status');
      if (s.connection === 'ready' && s.devnet.state === 'ready') rpcUrl = s.network.rpcUrls[0]!;
      else await new Promise((r) => setTimeout(r, 200));
    }
    // The same node, added as if it were a public network.
    const net = await call<{ id: string; protocol: boolean }>('chain:add-network', { name: 'Test L2', chainId: 31337, rpcUrls: [rpcUrl] });
    assert.equal(net.protocol, false);
    const json = await readFile(join(data.dir, 'chain', 'deployment.json'), 'utf8');
    const file = JSON.parse(json) as { chainId: number; token: string };

    await refused({ id: net.id, json: 'not json' }, 'bad_addresses_file');
    await refused({ id: net.id, json: JSON.stringify({ ...file, token: 'nope' }) }, 'bad_addresses_file');
    await refused({ id: net.id, json: JSON.stringify({ ...file, chainId: 8453 }) }, 'wrong_chain');
    await refused({ id: net.id, json: JSON.stringify({ ...file, token: '0x00000000000000000000000000000000000000aa' }) }, 'no_contract');
    // The Earn contracts are checked too: a router or vault with no code is refused.
    const earnFile = file as unknown as { uniswap: Record<string, string> | null; lending: string | null };
    assert.ok(earnFile.uniswap && earnFile.lending, 'the local deployment names a pair and a vault');
    await refused({ id: net.id, json: JSON.stringify({ ...file, uniswap: { ...earnFile.uniswap, router: '0x00000000000000000000000000000000000000bb' } }) }, 'no_contract');
    await refused({ id: net.id, json: JSON.stringify({ ...file, lending: '0x00000000000000000000000000000000000000cc' }) }, 'no_contract');
    await refused({ id: 'nowhere', json }, 'unknown_network');
    const networks = await call<{ id: string; protocol: boolean }[]>('chain:networks');
    assert.equal(networks.find((n) => n.id === net.id)?.protocol, false, 'nothing was saved by the refusals');

    const saved = await call<{ protocol: boolean }>('chain:set-deployment', { id: net.id, json });
    assert.equal(saved.protocol, true);
    await call('chain:select-network', { id: net.id });
    let state = '';
    for (let i = 0; i < 100 && state !== 'no-wallet'; i++) {
      state = (await call<{ state: string }>('market:status')).state;
      if (state !== 'no-wallet') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(state, 'no-wallet', 'the market knows the protocol on the added network');
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});
