import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deploymentSchema, type Deployment } from '../../common/contracts/addresses.ts';
import { HearthError, isHearthError } from '../../common/errors.ts';
import { connectToRunning, type Connection } from './connect.ts';

/** Where a command finds the chain to use: an RPC URL and the protocol's addresses on it. */
export interface ChainTarget {
  rpcUrl: string;
  deployment: Deployment;
}

const PASS_BOTH = 'pass --rpc and --addresses';

/**
 * The local devnet of the Hearth running for `dataDir`: its RPC URL from `chain:status`,
 * its addresses from `<dataDir>/chain/deployment.json`. Throws a HearthError with code
 * `no_local_chain` and an actionable sentence when Hearth is not running, its active
 * network is not the local devnet, or the devnet is not ready.
 */
export async function findLocalChain(dataDir: string, connect: (dir: string) => Promise<Connection> = connectToRunning): Promise<ChainTarget> {
  let connection: Connection;
  try {
    connection = await connect(dataDir);
  } catch (error) {
    const why = isHearthError(error) ? error.message : String(error);
    throw new HearthError('no_local_chain', `${why} To use another chain, ${PASS_BOTH}.`);
  }
  try {
    const status = await connection.client.call('chain:status', {});
    const { network } = status;
    if (!network.devnet) {
      throw new HearthError('no_local_chain', `The running Hearth uses ${network.name} (chain ${network.chainId}), not the local devnet: ${PASS_BOTH}.`);
    }
    const rpcUrl = network.rpcUrls[0];
    if (!rpcUrl || status.devnet.state !== 'ready' || !status.devnet.contracts) {
      throw new HearthError('no_local_chain', `The local devnet is not ready (${status.devnet.error ?? status.devnet.state}); try again in a moment, or ${PASS_BOTH}.`);
    }
    const file = join(dataDir, 'chain', 'deployment.json');
    let deployment: Deployment;
    try {
      deployment = deploymentSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      throw new HearthError('no_local_chain', `The local devnet's addresses (${file}) could not be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. ${PASS_BOTH}.`);
    }
    if (deployment.chainId !== network.chainId) {
      throw new HearthError('no_local_chain', `${file} is for chain ${deployment.chainId}, but the local devnet is chain ${network.chainId}: ${PASS_BOTH}.`);
    }
    return { rpcUrl, deployment };
  } finally {
    connection.close();
  }
}
