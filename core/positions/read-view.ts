/**
 * The positions view: the selected account's wallet balances, staking, lending, fee-pool and
 * liquidity positions valued in the token and in ETH at the pair's price, with a reason for
 * every kind that is missing. Records a value sample in the ledger at most once a minute.
 */
import { isHearthError } from '../../common/errors.ts';
import type { PositionsView } from '../../common/ipc/groups/positions.ts';
import { WAD } from './amounts.ts';
import { blockAt, nativeBalance, uint, view } from './calls.ts';
import { feePoolView, readFeePool } from './fee-pool.ts';
import { lendingView, readLending } from './lending.ts';
import { liquidityView, priceOf, readPair } from './liquidity.ts';
import { erc20 } from './plan.ts';
import type { PositionsDeps } from './service.ts';
import { readStaking, stakingView } from './staking.ts';

const SAMPLE_EVERY_MS = 60_000;

export async function readPositionsView(deps: PositionsDeps, forceSample: boolean): Promise<PositionsView> {
  const now = deps.clock.now();
  const out: PositionsView = {
    address: null,
    chainId: deps.chainId(),
    block: null,
    at: now,
    tokenSymbol: deps.tokenSymbol(),
    nativeSymbol: deps.nativeSymbol(),
    tokenBalanceWei: '0',
    nativeBalanceWei: '0',
    priceEthPerToken: null,
    staking: null,
    lending: null,
    feePool: null,
    liquidity: null,
    totalTokenWei: '0',
    totalEthWei: null,
    missing: [],
  };
  const account = deps.account();
  if ('missing' in account) {
    out.missing.push({ kind: 'all', reason: account.missing });
    return out;
  }
  out.address = account.address;
  const net = deps.network();
  if (!net) {
    out.missing.push({ kind: 'all', reason: deps.networkProblem() });
    return out;
  }
  out.chainId = net.chainId;
  const d = deps.deployment();
  if (!d || d.chainId !== net.chainId) {
    out.missing.push({
      kind: 'all',
      reason: 'This network has no Hearth addresses file: add one under Settings → Networks to see staking, lending and pool positions.',
    });
    return out;
  }
  const who = account.address;
  let token: bigint;
  let native: bigint;
  try {
    const [head, balance, eth] = await Promise.all([
      blockAt(net.rpc, 'latest'),
      view(net.rpc, erc20, d.token, 'balanceOf', [who]),
      nativeBalance(net.rpc, who),
    ]);
    out.block = head.number;
    token = uint(balance, 'token balance');
    native = eth;
  } catch (error) {
    if (!isHearthError(error)) throw error;
    out.missing.push({ kind: 'all', reason: error.message });
    return out;
  }
  out.tokenBalanceWei = token.toString();
  out.nativeBalanceWei = native.toString();

  const attempt = async <T>(kind: 'staking' | 'lending' | 'feePool' | 'liquidity', fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (error) {
      if (!isHearthError(error)) throw error;
      out.missing.push({ kind, reason: error.message });
      return null;
    }
  };
  const [pair, staking, lending, feePool] = await Promise.all([
    d.uniswap ? attempt('liquidity', () => readPair(net.rpc, d, who)) : Promise.resolve(null),
    attempt('staking', () => readStaking(net.rpc, d, who)),
    d.lending ? attempt('lending', () => readLending(net.rpc, d, who)) : Promise.resolve(null),
    d.feePool ? attempt('feePool', () => readFeePool(net.rpc, d, who)) : Promise.resolve(null),
  ]);
  if (!d.uniswap) out.missing.push({ kind: 'liquidity', reason: 'The addresses file for this network has no Uniswap pair for the token.' });
  if (!d.lending) out.missing.push({ kind: 'lending', reason: 'The addresses file for this network has no lending vault.' });
  if (!d.feePool) out.missing.push({ kind: 'feePool', reason: 'The addresses file for this network has no fee pool.' });
  const price = pair ? priceOf(pair) : null;
  out.priceEthPerToken = price?.toString() ?? null;
  const ledger = deps.ledger();
  if (staking) out.staking = stakingView(staking, price);
  if (lending) out.lending = lendingView(lending, price);
  if (feePool) out.feePool = feePoolView(feePool, price, out.tokenSymbol);
  if (pair) out.liquidity = liquidityView(pair, ledger?.lpDeposit({ chainId: net.chainId, address: who, pair: pair.pair }));

  // Net worth in tokens: wallet, stake, rewards, lent minus owed, pool, and the ETH parts at the pair's price.
  const inToken = (eth: bigint) => (price && price > 0n ? (eth * WAD) / price : 0n);
  let total = token + inToken(native);
  if (staking) total += BigInt(out.staking!.totalWei) + staking.rewards;
  if (lending) total += lending.supplied - lending.debt;
  if (feePool) total += feePool.value;
  if (out.liquidity) total += inToken(BigInt(out.liquidity.valueEthWei));
  if (total < 0n) total = 0n;
  out.totalTokenWei = total.toString();
  out.totalEthWei = price === null ? null : ((total * price) / WAD).toString();

  if (ledger) {
    const q = { chainId: net.chainId, address: who };
    const last = ledger.lastPositionSampleAt(q);
    if (forceSample || last === null || now - last >= SAMPLE_EVERY_MS) {
      ledger.addPositionSample(q, {
        at: now,
        stakingWei: out.staking?.totalWei ?? '0',
        lendingWei: out.lending?.suppliedWei ?? '0',
        feePoolWei: out.feePool?.valueWei ?? '0',
        liquidityEthWei: out.liquidity?.valueEthWei ?? '0',
        totalTokenWei: out.totalTokenWei,
      });
    }
  }
  return out;
}
