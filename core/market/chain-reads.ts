/**
 * Reads and call data for the protocol's contracts over the app's own RPC client (with its
 * fallback URLs and retries), encoded with the exported ABIs. Every value read from the
 * chain is decoded by the ABI and range-checked where the agent relies on it.
 */
import { Interface, type Result } from 'ethers';
import { hearthTokenAbi, jobMarketAbi, providerStakingAbi } from '../../common/contracts/abis.ts';
import type { JobTerms } from '../../common/contracts/market.ts';
import type { RpcClient } from '../chain/rpc.ts';

export const marketIface = new Interface(jobMarketAbi);
export const stakingIface = new Interface(providerStakingAbi);
export const tokenIface = new Interface(hearthTokenAbi);

/** eth_call of `method` on `to`, decoded. */
export async function read(rpc: RpcClient, iface: Interface, to: string, method: string, args: unknown[] = []): Promise<Result> {
  const data = iface.encodeFunctionData(method, args);
  const raw = await rpc.request<string>('eth_call', [{ to, data }, 'latest']);
  return iface.decodeFunctionResult(method, raw);
}

export interface JobOnChain {
  providerId: number;
  pricePerUnit: bigint;
  windowEnd: number;
  status: number;
}

/** JobMarket.jobState(id). */
export async function readJobState(rpc: RpcClient, market: string, jobId: bigint): Promise<JobOnChain> {
  const r = await read(rpc, marketIface, market, 'jobState', [jobId]);
  return { providerId: Number(r[0]), pricePerUnit: BigInt(r[1] as bigint), windowEnd: Number(r[2]), status: Number(r[3]) };
}

export interface MarketParamsOnChain {
  price: bigint;
  floor: bigint;
  feeBps: number;
  challengeWindow: number;
  missPenalty: bigint;
  /** Collateral a claim locks, in basis points of the job's value (at least missPenalty). */
  collateralBps: number;
}

/** The numbers of one market the agent decides with. */
export async function readMarketParams(rpc: RpcClient, market: string): Promise<MarketParamsOnChain> {
  const [price, floor, feeBps, window, penalty, collateralBps] = await Promise.all([
    read(rpc, marketIface, market, 'currentPrice'),
    read(rpc, marketIface, market, 'floorPrice'),
    read(rpc, marketIface, market, 'feeBps'),
    read(rpc, marketIface, market, 'challengeWindow'),
    read(rpc, marketIface, market, 'missPenalty'),
    read(rpc, marketIface, market, 'collateralBps'),
  ]);
  return {
    price: BigInt(price[0] as bigint),
    floor: BigInt(floor[0] as bigint),
    feeBps: Number(feeBps[0]),
    challengeWindow: Number(window[0]),
    missPenalty: BigInt(penalty[0] as bigint),
    collateralBps: Number(collateralBps[0]),
  };
}

export interface ProviderOnChain {
  id: number;
  jailed: boolean;
  /** Active stake per class id. */
  stakes: Map<string, bigint>;
  /** Part of active stake held as collateral by open claims, per class id. */
  locked: Map<string, bigint>;
  minStakes: Map<string, bigint>;
  eligible: Map<string, boolean>;
}

/** The provider's registration and stake in each of `classIds`. */
export async function readProvider(rpc: RpcClient, staking: string, provider: string, classIds: string[]): Promise<ProviderOnChain> {
  const account = await read(rpc, stakingIface, staking, 'accounts', [provider]);
  const stakes = new Map<string, bigint>();
  const locked = new Map<string, bigint>();
  const minStakes = new Map<string, bigint>();
  const eligible = new Map<string, boolean>();
  await Promise.all(
    classIds.map(async (classId) => {
      const [cs, min, id] = await Promise.all([
        read(rpc, stakingIface, staking, 'classStakes', [provider, classId]),
        read(rpc, stakingIface, staking, 'minStake', [classId]),
        read(rpc, stakingIface, staking, 'eligibleId', [provider, classId]),
      ]);
      stakes.set(classId, BigInt(cs[0] as bigint));
      locked.set(classId, BigInt(cs[1] as bigint));
      minStakes.set(classId, BigInt(min[0] as bigint));
      eligible.set(classId, Number(id[0]) !== 0);
    }),
  );
  return { id: Number(account[1]), jailed: Boolean(account[2]), stakes, locked, minStakes, eligible };
}

/** ERC-20 balance and allowance of `owner` for `spender`. */
export async function readTokenFor(rpc: RpcClient, token: string, owner: string, spender: string): Promise<{ balance: bigint; allowance: bigint }> {
  const [b, a] = await Promise.all([read(rpc, tokenIface, token, 'balanceOf', [owner]), read(rpc, tokenIface, token, 'allowance', [owner, spender])]);
  return { balance: BigInt(b[0] as bigint), allowance: BigInt(a[0] as bigint) };
}

/** The terms tuple as the ABI encodes it. */
export function termsArg(terms: JobTerms): [string, bigint, bigint, bigint] {
  return [terms.requester, terms.units, terms.maxPricePerUnit, terms.deadline];
}

/** Latest block's number and timestamp (seconds): chain time, which deadlines are measured in. */
export async function latestBlock(rpc: RpcClient): Promise<{ number: number; timestamp: number; hash: string }> {
  const block = await rpc.request<{ number: string; timestamp: string; hash: string } | null>('eth_getBlockByNumber', ['latest', false]);
  if (!block) throw new Error('the node returned no latest block');
  return { number: Number(BigInt(block.number)), timestamp: Number(BigInt(block.timestamp)), hash: block.hash };
}
