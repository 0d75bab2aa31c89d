/**
 * The lending vault (an ERC-4626 over the token; providers borrow from it to stake). Written
 * against the standard ERC-4626 functions and the vault's own names — debtOf, healthFactor,
 * borrowRate, supplyRate (per second, 1e18), utilization (1e18), totalDebt, maxBorrow,
 * autoRepayBps, borrowToStake, repay, setAutoRepay — so it works once the vault is deployed.
 * Parameter getters the vault may name differently are read as optional.
 */
import { HearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { LendingPosition } from '../../common/ipc/groups/positions.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { stakingIface } from '../market/chain-reads.ts';
import { WAD, formatUnits, parseAmount, parseAmountOrAll, wadToNumber } from './amounts.ts';
import { iface, optionalView, uint, view } from './calls.ts';
import { approvalIfShort, change, refuse, tokenText, type Plan, type PlanContext } from './plan.ts';
import { findClass, slashRisk, type StakingRaw } from './staking.ts';

export const vaultIface = iface([
  'function balanceOf(address) view returns (uint256)',
  'function convertToAssets(uint256) view returns (uint256)',
  'function convertToShares(uint256) view returns (uint256)',
  'function totalAssets() view returns (uint256)',
  'function maxWithdraw(address) view returns (uint256)',
  'function deposit(uint256 assets, address receiver) returns (uint256)',
  'function withdraw(uint256 assets, address receiver, address owner) returns (uint256)',
  'function redeem(uint256 shares, address receiver, address owner) returns (uint256)',
  'function debtOf(address) view returns (uint256)',
  'function healthFactor(address) view returns (uint256)',
  'function borrowRate() view returns (uint256)',
  'function supplyRate() view returns (uint256)',
  'function utilization() view returns (uint256)',
  'function totalDebt() view returns (uint256)',
  'function maxBorrow(address) view returns (uint256)',
  'function autoRepayBps(address) view returns (uint256)',
  'function liquidationThresholdBps() view returns (uint256)',
  'function liquidationBonusBps() view returns (uint256)',
  'function borrowToStake(bytes32 classId, uint256 amount)',
  'function repay(uint256 amount)',
  'function setAutoRepay(uint16 bps)',
]);

const YEAR = 365n * 86_400n;
const MAX = 2n ** 256n - 1n;

export interface LendingRaw {
  vault: string;
  shares: bigint;
  supplied: bigint;
  maxWithdraw: bigint;
  debt: bigint;
  totalAssets: bigint;
  totalDebt: bigint;
  utilization: bigint;
  borrowRate: bigint;
  supplyRate: bigint;
  health: bigint;
  maxBorrow: bigint;
  autoRepayBps: number;
  thresholdBps: number;
  bonusBps: number;
  /** Stake the vault counts as collateral (ProviderStaking.collateralOf). */
  collateral: bigint;
}

export function lendingAddress(d: Deployment): string {
  if (!d.lending) throw new HearthError('no_contract', 'The addresses file for this network has no lending vault.');
  return d.lending;
}

export async function readLending(rpc: RpcClient, d: Deployment, who: string): Promise<LendingRaw> {
  const vault = lendingAddress(d);
  const v = (method: string, args: unknown[] = []) => view(rpc, vaultIface, vault, method, args);
  const [
    shares,
    debt,
    totalAssets,
    totalDebt,
    utilization,
    borrowRate,
    supplyRate,
    health,
    maxBorrow,
    autoRepay,
    maxWithdraw,
    threshold,
    bonus,
    collateral,
  ] = await Promise.all([
    v('balanceOf', [who]),
    v('debtOf', [who]),
    v('totalAssets'),
    v('totalDebt'),
    v('utilization'),
    v('borrowRate'),
    v('supplyRate'),
    v('healthFactor', [who]),
    v('maxBorrow', [who]),
    v('autoRepayBps', [who]),
    v('maxWithdraw', [who]),
    optionalView(rpc, vaultIface, vault, 'liquidationThresholdBps'),
    optionalView(rpc, vaultIface, vault, 'liquidationBonusBps'),
    optionalView(rpc, stakingIface, d.staking, 'collateralOf', [who]),
  ]);
  const sharesWei = uint(shares, 'vault shares');
  const supplied = uint(await v('convertToAssets', [sharesWei]), 'supplied assets');
  const util = uint(utilization, 'utilization');
  if (util > WAD) throw new HearthError('bad_chain_data', `The vault reports a utilization above 100 % (${formatUnits(util * 100n)} %).`);
  return {
    vault,
    shares: sharesWei,
    supplied,
    maxWithdraw: uint(maxWithdraw, 'withdrawable assets'),
    debt: uint(debt, 'debt'),
    totalAssets: uint(totalAssets, 'vault assets'),
    totalDebt: uint(totalDebt, 'vault debt'),
    utilization: util,
    borrowRate: uint(borrowRate, 'borrow rate'),
    supplyRate: uint(supplyRate, 'supply rate'),
    health: uint(health, 'health factor'),
    maxBorrow: uint(maxBorrow, 'borrowable amount'),
    autoRepayBps: Number(uint(autoRepay, 'auto-repay share', 10_001n)),
    thresholdBps: threshold ? Number(uint(threshold, 'liquidation threshold', 1_000_001n)) : 0,
    bonusBps: bonus ? Number(uint(bonus, 'liquidation bonus', 1_000_001n)) : 0,
    collateral: collateral ? uint(collateral, 'collateral') : 0n,
  };
}

/** Stake at which health reaches 1: debt ÷ threshold. */
function liquidationStake(raw: LendingRaw): bigint | null {
  if (raw.debt === 0n || raw.thresholdBps === 0) return null;
  return (raw.debt * 10_000n + BigInt(raw.thresholdBps) - 1n) / BigInt(raw.thresholdBps);
}

export function lendingView(raw: LendingRaw, price: bigint | null): LendingPosition {
  const liq = liquidationStake(raw);
  return {
    vault: raw.vault,
    shares: raw.shares.toString(),
    suppliedWei: raw.supplied.toString(),
    borrowedWei: raw.debt.toString(),
    totalAssetsWei: raw.totalAssets.toString(),
    totalBorrowedWei: raw.totalDebt.toString(),
    utilization: wadToNumber(raw.utilization),
    borrowApr: wadToNumber(raw.borrowRate * YEAR),
    supplyApr: wadToNumber(raw.supplyRate * YEAR),
    healthFactor: raw.debt === 0n || raw.health === MAX ? null : wadToNumber(raw.health),
    liquidationStakeWei: liq?.toString() ?? null,
    borrowableWei: raw.maxBorrow.toString(),
    autoRepayBps: raw.autoRepayBps,
    liquidationThresholdBps: raw.thresholdBps,
    liquidationBonusBps: raw.bonusBps,
    valueEthWei: price === null ? null : ((raw.supplied * price) / WAD).toString(),
  };
}

function healthText(collateral: bigint, debt: bigint, thresholdBps: number): string {
  if (debt === 0n) return 'no debt';
  if (thresholdBps === 0) return 'unknown';
  return (Number((collateral * BigInt(thresholdBps) * 1000n) / (debt * 10_000n)) / 1000).toFixed(2);
}

function liquidationRisk(raw: LendingRaw, debtAfter: bigint, sym: string): string {
  const at = raw.thresholdBps === 0 ? null : (debtAfter * 10_000n) / BigInt(raw.thresholdBps);
  return `Borrowed stake can be liquidated when the health factor falls below 1${at === null ? '' : ` — when the stake drops below ${tokenText(at, sym)}`}; slashes bring that closer, and a liquidator takes stake at a bonus${raw.bonusBps ? ` of ${raw.bonusBps / 100} %` : ''}.`;
}

export async function planLend(ctx: PlanContext, raw: LendingRaw, input: { amount: string }): Promise<Plan> {
  const amount = parseAmount(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const problem =
    amount > ctx.tokenBalance
      ? refuse(
          'insufficient_balance',
          `The wallet holds ${tokenText(ctx.tokenBalance, sym)}, less than the ${tokenText(amount, sym)} to lend.`,
        )
      : null;
  return {
    steps: [
      ...(problem ? [] : await approvalIfShort(ctx, ctx.deployment.token, raw.vault, amount, 'the lending vault')),
      {
        label: `Lend ${formatUnits(amount)} ${sym}`,
        to: raw.vault,
        data: vaultIface.encodeFunctionData('deposit', [amount, ctx.address]),
        fallbackGas: 200_000n,
      },
    ],
    changes: [
      change('Lent', raw.supplied, raw.supplied + amount, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance - amount, sym),
    ],
    risks: [
      'Lent tokens back providers’ stake; if a provider is slashed beyond its own bond, lenders share the loss. While most of the vault is lent out, taking yours back may have to wait for repayments.',
    ],
    minimumReceived: null,
    problem,
  };
}

export function planRedeemLend(ctx: PlanContext, raw: LendingRaw, input: { amount: string }): Plan {
  const asked = parseAmountOrAll(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const amount = asked === 'all' ? raw.supplied : asked;
  let problem = null;
  if (raw.shares === 0n) problem = refuse('insufficient_balance', 'Nothing is lent from this account.');
  else if (amount > raw.supplied)
    problem = refuse('insufficient_balance', `${tokenText(raw.supplied, sym)} is lent, less than the ${tokenText(amount, sym)} asked for.`);
  else if (amount > raw.maxWithdraw)
    problem = refuse(
      'insufficient_liquidity',
      `The vault can pay out ${tokenText(raw.maxWithdraw, sym)} to this account now; the rest is lent to providers until they repay.`,
    );
  const data =
    asked === 'all'
      ? vaultIface.encodeFunctionData('redeem', [raw.shares, ctx.address, ctx.address])
      : vaultIface.encodeFunctionData('withdraw', [amount, ctx.address, ctx.address]);
  return {
    steps: [
      {
        label: `Take ${asked === 'all' ? 'everything' : `${formatUnits(amount)} ${sym}`} out of the lending vault`,
        to: raw.vault,
        data,
        fallbackGas: 200_000n,
      },
    ],
    changes: [
      change('Lent', raw.supplied, raw.supplied - amount, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance + amount, sym),
    ],
    risks: [],
    minimumReceived: null,
    problem,
  };
}

export function planBorrowToStake(
  ctx: PlanContext,
  raw: LendingRaw,
  staking: StakingRaw,
  input: { classLabel: string; amount: string },
): Plan {
  const c = findClass(staking, ctx.deployment, input.classLabel);
  const amount = parseAmount(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const debtAfter = raw.debt + amount;
  const collateralAfter = raw.collateral + amount;
  let problem = null;
  if (!staking.registered || !c.declared)
    problem = refuse(
      'not_registered',
      `Register as a provider in ${c.classLabel} first (the Market page); borrowed tokens are staked for a registered provider.`,
    );
  else if (amount > raw.maxBorrow)
    problem = refuse(
      'unhealthy',
      `The vault lends this account at most ${tokenText(raw.maxBorrow, sym)} now; borrowing ${tokenText(amount, sym)} would put the health factor below the vault's limit (${healthText(collateralAfter, debtAfter, raw.thresholdBps)} after).`,
    );
  else if (c.active + amount < c.minStake)
    problem = refuse(
      'below_minimum',
      `The ${c.classLabel} market needs at least ${tokenText(c.minStake, sym)} staked; ${tokenText(c.active + amount, sym)} would be.`,
    );
  return {
    steps: [
      {
        label: `Borrow ${formatUnits(amount)} ${sym} and stake it in ${c.classLabel}`,
        to: raw.vault,
        data: vaultIface.encodeFunctionData('borrowToStake', [c.classId, amount]),
        fallbackGas: 350_000n,
      },
    ],
    changes: [
      change(`Staked in ${c.classLabel}`, c.active, c.active + amount, sym),
      change('Borrowed', raw.debt, debtAfter, sym),
      {
        label: 'Health factor',
        before: healthText(raw.collateral, raw.debt, raw.thresholdBps),
        after: healthText(collateralAfter, debtAfter, raw.thresholdBps),
      },
    ],
    risks: [
      liquidationRisk(raw, debtAfter, sym),
      slashRisk(staking.unbondingDelay),
      `Interest accrues at ${(wadToNumber(raw.borrowRate * YEAR) * 100).toFixed(2)} % a year and rises as the vault is used more.`,
    ],
    minimumReceived: null,
    problem,
  };
}

export async function planRepay(ctx: PlanContext, raw: LendingRaw, input: { amount: string }): Promise<Plan> {
  const asked = parseAmountOrAll(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  // "all": the debt plus ten minutes of interest, so blocks mined meanwhile do not leave dust (the vault takes at most the debt).
  const amount = asked === 'all' ? raw.debt + (raw.debt * raw.borrowRate * 600n) / WAD + 1n : asked;
  let problem = null;
  if (raw.debt === 0n) problem = refuse('nothing_to_repay', 'This account owes the vault nothing.');
  else if (asked !== 'all' && amount > raw.debt)
    problem = refuse(
      'bad_amount',
      `The debt is ${tokenText(raw.debt, sym)}, less than the ${tokenText(amount, sym)} to repay; use "all" to clear it.`,
    );
  else if (amount > ctx.tokenBalance)
    problem = refuse(
      'insufficient_balance',
      `The wallet holds ${tokenText(ctx.tokenBalance, sym)}, less than the ${tokenText(amount, sym)} to repay.`,
    );
  const paid = amount > raw.debt ? raw.debt : amount;
  return {
    steps: [
      ...(problem ? [] : await approvalIfShort(ctx, ctx.deployment.token, raw.vault, amount, 'the lending vault')),
      {
        label: `Repay ${asked === 'all' ? 'the whole debt' : `${formatUnits(amount)} ${sym}`}`,
        to: raw.vault,
        data: vaultIface.encodeFunctionData('repay', [amount]),
        fallbackGas: 200_000n,
      },
    ],
    changes: [change('Borrowed', raw.debt, raw.debt - paid, sym), change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance - paid, sym)],
    risks: [],
    minimumReceived: null,
    problem,
  };
}

export function planAutoRepay(ctx: PlanContext, raw: LendingRaw, input: { bps: number }): Plan {
  if (!Number.isInteger(input.bps) || input.bps < 0 || input.bps > 10_000)
    throw new HearthError('bad_amount', `Auto-repay is a whole number of basis points from 0 to 10000, not ${String(input.bps)}.`);
  return {
    steps: [
      {
        label: `Repay ${input.bps / 100} % of each payment automatically`,
        to: raw.vault,
        data: vaultIface.encodeFunctionData('setAutoRepay', [input.bps]),
        fallbackGas: 80_000n,
      },
    ],
    changes: [{ label: 'Auto-repay', before: `${raw.autoRepayBps / 100} %`, after: `${input.bps / 100} %` }],
    risks:
      input.bps === 0 && raw.debt > 0n ? ['With auto-repay off the debt only shrinks when you repay it; interest keeps growing it.'] : [],
    minimumReceived: null,
    problem: null,
  };
}
