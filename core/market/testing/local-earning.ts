/**
 * The set-up the in-process earning-loop tests share: a provider driven through its own
 * dispatch (as the UI drives it), the local chain up, a wallet registered and staked in the
 * cpu class, and a requester with its own dev key posting a real job with its input inline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NonceManager, Wallet, encodeBase64, toUtf8Bytes, type ContractTransactionReceipt, type ContractTransactionResponse, type JsonRpcProvider } from 'ethers';
import { attach } from '../../../common/contracts/deploy.ts';
import type { Deployment } from '../../../common/contracts/addresses.ts';
import { hashBytes, modelHashOf, type JobInputDocument } from '../../../common/market/job-format.ts';
import { builtinCatalog } from '../../worker/index.ts';
import { devAccounts } from '../../chain/devnet.ts';
import { waitFor } from '../../test-support.ts';
import type { Provider } from '../../provider.ts';

export type Call = <T>(channel: string, payload?: unknown) => Promise<T>;
export type ChainView = { connection: string; error: string | null; devnet: { state: string }; network: { rpcUrls: string[] } };
export type JobView = { jobId: string; state: string; reason: string | null; earnedWei: string | null };

/** A call through the provider's dispatch; a refusal throws with its message. */
export function dispatchCaller(provider: Provider): Call {
  return async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const envelope = await provider.dispatch(channel, payload);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.message}`);
    return envelope.value as T;
  };
}

/** Waits for the local chain to be up with the protocol deployed. */
export function localChainReady(call: Call, what = 'the local chain'): Promise<ChainView> {
  return waitFor(async () => {
    const s = await call<ChainView>('chain:status');
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  }, what, 60_000);
}

/** A new wallet with test funds, registered and staked (130 HRTH) in the cpu class. */
export async function registerCpuProvider(call: Call): Promise<void> {
  await call('wallet:import', { kind: 'privateKey', privateKey: Wallet.createRandom().privateKey, password: 'correct horse battery' });
  await call('wallet:get-test-funds');
  await waitFor(async () => ((await call<{ problem: string | null }>('market:preview-register', { classLabel: 'cpu', stake: '130' })).problem === null ? true : undefined), 'test funds', 30_000);
  await call('market:register', { classLabel: 'cpu', stake: '130' });
}

/** Hearth follows `rpcUrl` (a proxy in front of the local node) as a network the user added, with the local chain's addresses. */
export async function selectAddedNetwork(call: Call, dataDir: string, name: string, rpcUrl: string): Promise<Deployment> {
  const json = await readFile(join(dataDir, 'chain', 'deployment.json'), 'utf8');
  const net = await call<{ id: string }>('chain:add-network', { name, chainId: 31337, rpcUrls: [rpcUrl] });
  await call('chain:set-deployment', { id: net.id, json });
  await call('chain:select-network', { id: net.id });
  return JSON.parse(json) as Deployment;
}

export interface CpuJob {
  /** Dev account index of the requester (each test its own, so nonces never collide). */
  account: number;
  /** Varies the input so every job's hash differs. */
  seed: number;
  resultUri: string;
  /** Seconds from the latest block to the deadline. */
  deadlineSeconds: number;
}

/** Funds a requester and posts one unit of paddleocr-cls-v2 with its input as a data: URI; returns the job id. */
export async function postCpuJob(rpc: JsonRpcProvider, deployment: Deployment, job: CpuJob): Promise<bigint> {
  const requester = new NonceManager(new Wallet(devAccounts()[job.account]!.privateKey, rpc));
  const c = attach(deployment, requester);
  const market = c.markets.find((m) => m.classLabel === 'cpu')!;
  await mined(c.faucet!.getFunction('drip')(await requester.getAddress()));
  await mined(c.token.getFunction('approve')(market.address, 10n ** 24n));
  const model = builtinCatalog.find((m) => m.id === 'paddleocr-cls-v2')!;
  const values = new Float32Array(3 * 48 * 192).map((_, i) => (i % job.seed) / job.seed);
  const doc: JobInputDocument = {
    version: 1,
    model: model.id,
    inputs: { x: { dtype: 'float32', dims: [1, 3, 48, 192], data: encodeBase64(new Uint8Array(values.buffer)) } },
    resultUri: job.resultUri,
  };
  const bytes = toUtf8Bytes(JSON.stringify(doc));
  const deadline = BigInt((await rpc.getBlock('latest'))!.timestamp) + BigInt(job.deadlineSeconds);
  const posted = await mined(market.contract.getFunction('post')(modelHashOf(model.sha256), hashBytes(bytes), `data:application/json;base64,${encodeBase64(bytes)}`, 1, 10n ** 16n, deadline));
  const log = posted!.logs.at(-1)!;
  return BigInt(market.contract.interface.parseLog(log)!.args[0] as bigint);
}

/** The receipt of a contract call's transaction. */
async function mined(sent: Promise<unknown>): Promise<ContractTransactionReceipt | null> {
  return ((await sent) as ContractTransactionResponse).wait();
}
