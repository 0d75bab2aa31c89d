import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainStatus } from '../../common/ipc/groups/chain.ts';
import { HearthError } from '../../common/errors.ts';
import type { Connection } from './connect.ts';
import { findLocalChain } from './local-chain.ts';

const deployment = {
  version: 1,
  chainId: 31337,
  startBlock: 1,
  token: '0x' + '11'.repeat(20),
  staking: '0x' + '22'.repeat(20),
  faucet: null,
  markets: [{ classLabel: 'cpu', classId: '0x' + '33'.repeat(32), address: '0x' + '44'.repeat(20) }],
};

function status(over: { devnet?: boolean; chainId?: number; state?: ChainStatus['devnet']['state'] } = {}): ChainStatus {
  return {
    network: { id: 'x', name: over.devnet === false ? 'Base Sepolia' : 'Local devnet', chainId: over.chainId ?? 31337, devnet: over.devnet ?? true, rpcUrls: ['http://127.0.0.1:8545'], explorerUrl: null, nativeSymbol: 'ETH', protocol: true },
    connection: 'ready',
    devnet: { state: over.state ?? 'ready', error: null, contracts: true },
    blockNumber: 3,
    error: null,
  };
}

function fakeHearth(answer: ChainStatus): { connect: (dir: string) => Promise<Connection>; closed: () => boolean } {
  let closed = false;
  const client = { call: async (name: string) => (name === 'chain:status' ? answer : Promise.reject(new Error(name))) } as unknown as Connection['client'];
  return { connect: async () => ({ client, shell: 'daemon', close: () => void (closed = true) }), closed: () => closed };
}

function dataDir(withDeployment: unknown = deployment): string {
  // null: no chain folder at all
  const dir = mkdtempSync(join(tmpdir(), 'hearth-local-chain-'));
  if (withDeployment !== null) {
    mkdirSync(join(dir, 'chain'));
    writeFileSync(join(dir, 'chain', 'deployment.json'), JSON.stringify(withDeployment));
  }
  return dir;
}

const refused = (pattern: RegExp) => (e: unknown) => e instanceof HearthError && e.code === 'no_local_chain' && pattern.test(e.message);

test('the running Hearth\'s local devnet: its RPC URL and <dataDir>/chain/deployment.json', async () => {
  const hearth = fakeHearth(status());
  const found = await findLocalChain(dataDir(), hearth.connect);
  assert.equal(found.rpcUrl, 'http://127.0.0.1:8545');
  assert.equal(found.deployment.token, deployment.token);
  assert.ok(hearth.closed(), 'the connection is closed after use');
});

test('no local chain to use: a sentence that says to pass --rpc and --addresses', async () => {
  const notRunning = async (): Promise<Connection> => {
    throw new HearthError('not_running', 'Hearth is not running for /x.');
  };
  await assert.rejects(findLocalChain(dataDir(), notRunning), refused(/not running.*pass --rpc and --addresses/));
  await assert.rejects(findLocalChain(dataDir(), fakeHearth(status({ devnet: false, chainId: 84532 })).connect), refused(/Base Sepolia \(chain 84532\), not the local devnet: pass --rpc/));
  await assert.rejects(findLocalChain(dataDir(), fakeHearth(status({ state: 'deploying' })).connect), refused(/not ready \(deploying\)/));
  await assert.rejects(findLocalChain(dataDir(null), fakeHearth(status()).connect), refused(/deployment\.json\) could not be read/));
  await assert.rejects(findLocalChain(dataDir({ ...deployment, token: 'nope' }), fakeHearth(status()).connect), refused(/could not be read/));
  await assert.rejects(findLocalChain(dataDir({ ...deployment, chainId: 1 }), fakeHearth(status()).connect), refused(/is for chain 1/));
});
