/**
 * The fee pool: an ERC-4626 over the token that receives the markets' protocol fees as plain
 * transfers. Its APY is measured, not promised: the fees the markets paid it (JobSettled
 * `fee` on markets whose fee recipient is the pool) over the last 24 hours, or since the
 * pool's first deposit when that is more recent, divided by the pool's assets, annualised.
 */
import { Interface } from 'ethers';
import { feePoolAbi } from '../../common/contracts/abis.ts';
import { HearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { FeePoolPosition } from '../../common/ipc/groups/positions.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { marketIface } from '../market/chain-reads.ts';
import { WAD } from './amounts.ts';
import { address, blockAt, logs, uint, view, type BlockInfo } from './calls.ts';
import { refuse, tokenText, type Plan, type PlanContext } from './plan.ts';
import { planVaultDeposit, planVaultExit } from './vault-plans.ts';

const poolIface = new Interface(feePoolAbi);
const DAY = 86_400;
const MIN_WINDOW = 3_600;

export interface FeePoolRaw {
  pool: string;
  shares: bigint;
  shareDecimals: number;
  value: bigint;
  maxWithdraw: bigint;
  totalAssets: bigint;
  feesInWindow: bigint;
  windowSeconds: number;
}

export function feePoolAddress(d: Deployment): string {
  if (!d.feePool) throw new HearthError('no_contract', 'The addresses file for this network has no fee pool.');
  return d.feePool;
}

/** The first block at or after `timestamp` (binary search between `from` and `head`). */
async function blockFrom(rpc: RpcClient, from: number, head: BlockInfo, timestamp: number): Promise<number> {
  let lo = from;
  let hi = head.number;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await blockAt(rpc, mid)).timestamp < timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export async function readFeePool(rpc: RpcClient, d: Deployment, who: string): Promise<FeePoolRaw> {
  const pool = feePoolAddress(d);
  const [shares, decimals, totalAssets, maxWithdraw, head, deposits, recipients] = await Promise.all([
    view(rpc, poolIface, pool, 'balanceOf', [who]),
    view(rpc, poolIface, pool, 'decimals'),
    view(rpc, poolIface, pool, 'totalAssets'),
    view(rpc, poolIface, pool, 'maxWithdraw', [who]),
    blockAt(rpc, 'latest'),
    logs(rpc, { address: pool, topics: [poolIface.getEvent('Deposit')!.topicHash], fromBlock: d.startBlock }),
    Promise.all(
      d.markets.map(async (m) => ({
        market: m.address,
        recipient: address(await view(rpc, marketIface, m.address, 'feeRecipient'), 'fee recipient'),
      })),
    ),
  ]);
  const sharesWei = uint(shares, 'pool shares');
  const value = uint(await view(rpc, poolIface, pool, 'convertToAssets', [sharesWei]), 'pool value');
  const feeMarkets = recipients.filter((r) => r.recipient.toLowerCase() === pool.toLowerCase()).map((r) => r.market);
  let feesInWindow = 0n;
  let windowSeconds = 0;
  const first = deposits[0];
  if (first && feeMarkets.length > 0) {
    const firstAt = (await blockAt(rpc, Number(BigInt(first.blockNumber)))).timestamp;
    const start = Math.max(head.timestamp - DAY, firstAt);
    windowSeconds = head.timestamp - start;
    const fromBlock = await blockFrom(rpc, Number(BigInt(first.blockNumber)), head, start);
    const settled = await logs(rpc, { address: feeMarkets, topics: [marketIface.getEvent('JobSettled')!.topicHash], fromBlock });
    for (const log of settled) {
      try {
        feesInWindow += BigInt(marketIface.parseLog(log)!.args[3] as bigint);
      } catch (error) {
        throw new HearthError('bad_chain_data', 'A JobSettled event from a market does not decode.', { cause: error });
      }
    }
  }
  return {
    pool,
    shares: sharesWei,
    shareDecimals: Number(uint(decimals, 'pool share decimals', 37n)),
    value,
    maxWithdraw: uint(maxWithdraw, 'withdrawable assets'),
    totalAssets: uint(totalAssets, 'pool assets'),
    feesInWindow,
    windowSeconds,
  };
}

export function feePoolView(raw: FeePoolRaw, price: bigint | null, symbol: string): FeePoolPosition {
  const enough = raw.windowSeconds >= MIN_WINDOW && raw.totalAssets > 0n;
  const apy = enough ? (Number((raw.feesInWindow * 10n ** 12n) / raw.totalAssets) / 1e12) * ((365 * DAY) / raw.windowSeconds) : null;
  const hours = (raw.windowSeconds / 3_600).toFixed(1);
  const apyBasis = enough
    ? `${tokenText(raw.feesInWindow, symbol)} of market fees over the last ${hours} h, divided by the pool's ${tokenText(raw.totalAssets, symbol)} and scaled to a year.`
    : `Not enough history yet: the APY needs at least an hour of fees since the pool's first deposit (${hours} h so far).`;
  return {
    pool: raw.pool,
    shares: raw.shares.toString(),
    shareDecimals: raw.shareDecimals,
    valueWei: raw.value.toString(),
    totalAssetsWei: raw.totalAssets.toString(),
    apy,
    apyBasis,
    feesInWindowWei: raw.feesInWindow.toString(),
    windowSeconds: raw.windowSeconds,
    valueEthWei: price === null ? null : ((raw.value * price) / WAD).toString(),
  };
}

/** The account's holding in the pool, as the shared ERC-4626 planners see it. */
function holding(raw: FeePoolRaw) {
  return { address: raw.pool, name: 'the fee pool', figure: 'In the fee pool', value: raw.value, shares: raw.shares, fallbackGas: 150_000n };
}

export function planPoolDeposit(ctx: PlanContext, raw: FeePoolRaw, input: { amount: string }): Promise<Plan> {
  return planVaultDeposit(ctx, holding(raw), input, {
    label: (amount) => `Deposit ${amount} in the fee pool`,
    verb: 'deposit',
    risk: 'The pool earns only what the markets pay in fees; when there is little work, it earns little. Past fees do not promise future ones.',
  });
}

export function planPoolRedeem(ctx: PlanContext, raw: FeePoolRaw, input: { amount: string }): Plan {
  const sym = ctx.tokenSymbol;
  return planVaultExit(ctx, holding(raw), input, {
    nothing: 'Nothing is in the fee pool from this account.',
    limit: (amount) =>
      amount > raw.value || amount > raw.maxWithdraw
        ? refuse('insufficient_balance', `The pool holds ${tokenText(raw.value, sym)} for this account, less than the ${tokenText(amount, sym)} asked for.`)
        : null,
  });
}
