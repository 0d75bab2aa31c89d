import { Contract, JsonRpcProvider, type Wallet, type ContractTransactionResponse, type InterfaceAbi } from 'ethers';
import { HeadroomWallet } from '../../common/contracts/send.ts';
import type { Deployment, MarketDeployment } from '../../common/contracts/addresses.ts';
import { hearthTokenAbi, jobMarketAbi, providerStakingAbi, devFaucetAbi } from '../../common/contracts/abis.ts';
import { HearthError } from '../../common/errors.ts';
import type { Clock } from '../ports.ts';
import { chainTime, isLocalDevnet, type ChainTime } from './chain-time.ts';

/** A signer on one deployment, with its transactions sent one at a time. */
export interface RequesterChain {
  provider: JsonRpcProvider;
  rpcUrl: string;
  /** The app's local devnet (chain 31337 on 127.0.0.1), where blocks may be mined on demand. */
  local: boolean;
  /** Block time, for time-gated calls (see chain-time.ts). */
  time: ChainTime;
  wallet: Wallet;
  address: string;
  chainId: number;
  deployment: Deployment;
  token: Contract;
  staking: Contract;
  faucet: Contract | null;
  /** Market contract and deployment entry for a class label. */
  market(classLabel: string): { deployment: MarketDeployment; contract: Contract };
  /**
   * Sends a transaction and waits for its receipt. Sends are serialized, so nonces come
   * from the node in order and a call that reverts while estimating leaves no gap.
   */
  send(call: (signer: Wallet) => Promise<ContractTransactionResponse>): Promise<{ blockNumber: number; logs: readonly unknown[] }>;
  close(): void;
}

/** Connects `privateKey` to the deployment at `rpcUrl` (no request cache: devnets automine). */
export async function connectRequesterChain(rpcUrl: string, deployment: Deployment, privateKey: string, options: { clock?: Clock } = {}): Promise<RequesterChain> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, pollingInterval: 200, cacheTimeout: -1 });
  // Headroom over each estimate: the price controller's epoch roll costs more when the
  // transaction mines a second after the estimate, in the next epoch.
  const wallet = new HeadroomWallet(privateKey, provider);
  let chainId: number;
  try {
    chainId = Number((await provider.getNetwork()).chainId);
  } catch (error) {
    provider.destroy();
    throw new HearthError('chain_unreachable', `No chain answers at ${rpcUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (chainId !== deployment.chainId) {
    provider.destroy();
    throw new HearthError('chain_mismatch', `The addresses file is for chain ${deployment.chainId}, but ${rpcUrl} is chain ${chainId}.`);
  }
  const markets = new Map(deployment.markets.map((m) => [m.classLabel, { deployment: m, contract: new Contract(m.address, jobMarketAbi as InterfaceAbi, wallet) }]));
  let queue: Promise<unknown> = Promise.resolve();
  return {
    provider,
    rpcUrl,
    local: isLocalDevnet(chainId, rpcUrl),
    time: chainTime({ provider, chainId, rpcUrl, ...(options.clock ? { clock: options.clock } : {}) }),
    wallet,
    address: wallet.address,
    chainId,
    deployment,
    token: new Contract(deployment.token, hearthTokenAbi, wallet),
    staking: new Contract(deployment.staking, providerStakingAbi, wallet),
    faucet: deployment.faucet ? new Contract(deployment.faucet, devFaucetAbi, wallet) : null,
    market(classLabel) {
      const m = markets.get(classLabel);
      if (!m) throw new HearthError('market_unknown', `No market for class "${classLabel}" in this deployment (it has ${[...markets.keys()].join(', ')}).`);
      return m;
    },
    send(call) {
      const run = queue.then(async () => {
        const tx = await call(wallet);
        const receipt = await tx.wait();
        if (!receipt) throw new HearthError('tx_dropped', `Transaction ${tx.hash} was dropped.`);
        return { blockNumber: receipt.blockNumber, logs: receipt.logs };
      });
      queue = run.catch(() => undefined);
      return run;
    },
    close: () => provider.destroy(),
  };
}

/** The custom error name in a revert (e.g. "ChallengeWindowOpen"), when ethers decoded one. */
export function revertName(error: unknown): string | undefined {
  const e = error as { revert?: { name?: string }; info?: { error?: { message?: string } }; shortMessage?: string };
  return e?.revert?.name ?? undefined;
}

/** A uint view call as a bigint. */
export async function readUint(contract: Contract, method: string, ...args: unknown[]): Promise<bigint> {
  return BigInt((await contract.getFunction(method)(...args)) as bigint);
}

/** A state-changing call, typed for `RequesterChain.send`. */
export function transact(contract: Contract, method: string, ...args: unknown[]): Promise<ContractTransactionResponse> {
  return contract.getFunction(method)(...args) as Promise<ContractTransactionResponse>;
}
