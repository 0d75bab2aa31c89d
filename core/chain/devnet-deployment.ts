import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { deploymentAddresses, deploymentSchema, type Deployment } from '../../common/contracts/addresses.ts';
import { bytecode } from '../../common/contracts/bytecode.ts';
import type { Clock, Logger } from '../ports.ts';
import { systemClock } from '../node-ports.ts';
import { createRpcClient } from './rpc.ts';

export interface EnsureDeploymentOptions {
  /** The addresses file (`<stateDir>/deployment.json`); omitted: always deploy, keep nothing. */
  file?: string;
  /** Deploys the protocol on this chain. */
  deploy: () => Promise<Deployment>;
  /** Market labels the protocol must have: a chain deployed with older parameters is redeployed. */
  classLabels?: readonly string[];
  /**
   * What was deployed: the contracts' bytecode and the parameters (`buildFingerprint`). A file
   * written by another build is redeployed, so an updated app never talks to old contracts
   * with new ABIs. Kept beside the addresses file as `<file>.build`.
   */
  build?: string;
  logger?: Logger;
  clock?: Clock;
}

/**
 * The protocol on a persistent devnet: reuses the addresses file when the chain id matches
 * and every contract in it still has code on the chain; otherwise deploys anew and
 * overwrites the file. A missing, unreadable or stale file is never an error.
 */
export async function ensureDeployment(
  chain: { rpcUrl: string; chainId: number },
  options: EnsureDeploymentOptions,
): Promise<{ deployment: Deployment; reused: boolean }> {
  if (options.file) {
    const previous = await readDeployment(options.file);
    const why = previous ? await staleReason(chain, previous, options) : 'no addresses file';
    if (previous && why === undefined) return { deployment: previous, reused: true };
    options.logger?.info('devnet: deploying the protocol', { reason: why });
  }
  const deployment = await options.deploy();
  if (options.file) {
    await writeAtomically(options.file, `${JSON.stringify(deployment, null, 2)}\n`);
    if (options.build) await writeAtomically(`${options.file}.build`, `${options.build}\n`);
  }
  return { deployment, reused: false };
}

/** Identifies a protocol build: every contract's creation bytecode plus the deploy parameters. */
export function buildFingerprint(params: unknown): string {
  const text = JSON.stringify({ bytecode, params }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  return createHash('sha256').update(text).digest('hex');
}

async function readDeployment(file: string): Promise<Deployment | undefined> {
  try {
    const parsed = deploymentSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // absent or not JSON: deploy anew
  }
}

async function staleReason(
  chain: { rpcUrl: string; chainId: number },
  deployment: Deployment,
  options: EnsureDeploymentOptions,
): Promise<string | undefined> {
  if (deployment.chainId !== chain.chainId) return `the file is for chain ${deployment.chainId}`;
  if (options.build && options.file) {
    const deployed = (await readFile(`${options.file}.build`, 'utf8').catch(() => '')).trim();
    if (deployed !== options.build) return 'the contracts or their parameters changed since it was deployed';
  }
  if (options.classLabels) {
    const want = [...options.classLabels].sort().join(',');
    const have = deployment.markets.map((m) => m.classLabel).sort().join(',');
    if (want !== have) return `markets changed (${have} -> ${want})`;
  }
  const rpc = createRpcClient({ urls: [chain.rpcUrl], clock: options.clock ?? systemClock });
  for (const address of deploymentAddresses(deployment)) {
    const code = await rpc.request<string>('eth_getCode', [address, 'latest']);
    if (code === '0x' || code === '') return `no contract at ${address} (a fresh chain)`;
  }
  return undefined;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}
