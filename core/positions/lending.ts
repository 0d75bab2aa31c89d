/**
 * The lending vault (LendingVault: an ERC-4626 over the token; providers borrow from it to
 * stake). Reads and calls go through its exported ABI; every figure shown is one of the vault's
 * own views (debtOf, healthFactor, liquidationCollateral, maxBorrow, …) so the app and the
 * contract never disagree, and previews refuse what the vault would refuse, with the numbers.
 */
import { Interface } from 'ethers';
import { lendingVaultAbi } from '../../common/contracts/abis.ts';
import { HearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { LendingPosition } from '../../common/ipc/groups/positions.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { stakingIface } from '../market/chain-reads.ts';
import { WAD, formatUnits, parseAmount, parseAmountOrAll, wadToNumber } from './amounts.ts';
import { uint, view } from './calls.ts';
import { approvalIfShort, change, erc20, refuse, tokenText, type Plan, type PlanContext } from './plan.ts';
import { planVaultDeposit, planVaultExit } from './vault-plans.ts';
import { findClass, slashRisk, type StakingRaw } from './staking.ts';

export const vaultIface = new Interface(lendingVaultAbi);

const YEAR = 365n * 86_400n;
const BPS = 10_000n;
export const MAX_UINT = 2n ** 256n - 1n;
/** Interest a "repay all" approval covers beyond the debt: blocks mined between preview and inclusion. */
const REPAY_MARGIN_SECONDS = 3_600n;

export interface LendingRaw {
  vault: string;
  shares: bigint;
  supplied: bigint;
  maxWithdraw: bigint;
  debt: bigint;
  totalAssets: bigint;
  totalDebt: bigint;
  /** Tokens in the vault not lent out: the most any withdrawal or borrow can take. */
  cash: bigint;
  utilization: bigint;
  borrowRate: bigint;
  supplyRate: bigint;
  health: bigint;
  maxBorrow: bigint;
  /** Stake below which the position can be liquidated (0 without debt). */
  liquidationCollateral: bigint;
  autoRepayBps: number;
  maxLtvBps: number;
  thresholdBps: number;
  bonusBps: number;
  /** Stake the vault counts as collateral (ProviderStaking.collateralOf: active stake over all classes). */
  collateral: bigint;
  /** The vault's rate curve (per second, 1e18; kink as a 1e18 fraction), for rates after an action. */
  curve: { base: bigint; slope1: bigint; slope2: bigint; kink: bigint };
}

/** Borrow rate per second at utilization `u` (1e18), as LendingVault._rate computes it. */
export function rateAt(curve: LendingRaw['curve'], u: bigint): bigint {
  if (u <= curve.kink) return curve.base + (curve.slope1 * u) / curve.kink;
  return curve.base + curve.slope1 + (curve.slope2 * (u - curve.kink)) / (WAD - curve.kink);
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
    liquidation,
    autoRepay,
    maxWithdraw,
    maxLtv,
    threshold,
    bonus,
    collateral,
    cash,
    base,
    slope1,
    slope2,
    kink,
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
    v('liquidationCollateral', [who]),
    v('autoRepayBps', [who]),
    v('maxWithdraw', [who]),
    v('maxLtvBps'),
    v('liquidationThresholdBps'),
    v('liquidationBonusBps'),
    view(rpc, stakingIface, d.staking, 'collateralOf', [who]),
    view(rpc, erc20, d.token, 'balanceOf', [vault]),
    v('baseRatePerSecond'),
    v('slope1PerSecond'),
    v('slope2PerSecond'),
    v('kink'),
  ]);
  const sharesWei = uint(shares, 'vault shares');
  const supplied = uint(await v('convertToAssets', [sharesWei]), 'supplied assets');
  const util = uint(utilization, 'utilization');
  if (util > WAD) throw new HearthError('bad_chain_data', `The vault reports a utilization above 100 % (${formatUnits(util * 100n)} %).`);
  const bps = (r: Awaited<ReturnType<typeof v>>, what: string) => Number(uint(r, what, BPS + 1n));
  return {
    vault,
    shares: sharesWei,
    supplied,
    maxWithdraw: uint(maxWithdraw, 'withdrawable assets'),
    debt: uint(debt, 'debt'),
    totalAssets: uint(totalAssets, 'vault assets'),
    totalDebt: uint(totalDebt, 'vault debt'),
    cash: uint(cash, 'vault cash'),
    utilization: util,
    borrowRate: uint(borrowRate, 'borrow rate'),
    supplyRate: uint(supplyRate, 'supply rate'),
    health: uint(health, 'health factor'),
    maxBorrow: uint(maxBorrow, 'borrowable amount'),
    liquidationCollateral: uint(liquidation, 'liquidation level'),
    autoRepayBps: bps(autoRepay, 'auto-repay share'),
    maxLtvBps: bps(maxLtv, 'loan-to-value limit'),
    thresholdBps: bps(threshold, 'liquidation threshold'),
    bonusBps: bps(bonus, 'liquidation bonus'),
    collateral: uint(collateral, 'collateral'),
    curve: { base: uint(base, 'base rate'), slope1: uint(slope1, 'rate slope'), slope2: uint(slope2, 'rate slope above the kink'), kink: uint(kink, 'kink', WAD) },
  };
}

/** The borrow rate once this borrow is out, and how it moves: the vault's curve at the new utilization. */
function interestRisk(raw: LendingRaw, amount: bigint): string {
  const pool = raw.cash + raw.totalDebt;
  const uAfter = pool === 0n ? 0n : ((raw.totalDebt + amount) * WAD) / pool;
  const apr = (rate: bigint) => `${(wadToNumber(rate * YEAR) * 100).toFixed(2)} %`;
  const kinkPct = `${(wadToNumber(raw.curve.kink) * 100).toFixed(0)} %`;
  return `Interest accrues at ${apr(rateAt(raw.curve, uAfter))} a year once this is borrowed (now ${apr(raw.borrowRate)}), and rises as more of the vault is lent out — steeply above ${kinkPct} use.`;
}

export function lendingView(raw: LendingRaw, price: bigint | null): LendingPosition {
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
    healthFactor: raw.debt === 0n || raw.health === MAX_UINT ? null : wadToNumber(raw.health),
    liquidationStakeWei: raw.debt === 0n ? null : raw.liquidationCollateral.toString(),
    borrowableWei: raw.maxBorrow.toString(),
    autoRepayBps: raw.autoRepayBps,
    liquidationThresholdBps: raw.thresholdBps,
    liquidationBonusBps: raw.bonusBps,
    valueEthWei: price === null ? null : ((raw.supplied * price) / WAD).toString(),
  };
}

/** collateral × threshold ÷ debt as the vault computes it (1e18); null without debt. */
export function healthAfter(collateral: bigint, debt: bigint, thresholdBps: number): bigint | null {
  if (debt === 0n) return null;
  return (collateral * BigInt(thresholdBps) * WAD) / (debt * BPS);
}

/** The health factor for people: two decimals, truncated (1.999 shows 1.99, never a rounded-up 2.00). */
export function healthText(collateral: bigint, debt: bigint, thresholdBps: number): string {
  const h = healthAfter(collateral, debt, thresholdBps);
  if (h === null) return 'no debt';
  return (Number((h * 100n) / WAD) / 100).toFixed(2);
}

/** The stake under which a debt can be liquidated: debt ÷ threshold, rounded up (the vault's liquidationCollateral). */
export function liquidationLevel(debt: bigint, thresholdBps: number): bigint {
  return (debt * BPS + BigInt(thresholdBps) - 1n) / BigInt(thresholdBps);
}

function liquidationRisk(raw: LendingRaw, debtAfter: bigint, sym: string): string {
  return `Borrowed stake can be liquidated when the health factor falls below 1 — when the stake drops below ${tokenText(liquidationLevel(debtAfter, raw.thresholdBps), sym)}; slashes bring that closer, and a liquidator takes stake at a bonus of ${raw.bonusBps / 100} %.`;
}

/** The account's supply in the vault, as the shared ERC-4626 planners see it. */
function holding(raw: LendingRaw) {
  return { address: raw.vault, name: 'the lending vault', figure: 'Lent', value: raw.supplied, shares: raw.shares, fallbackGas: 200_000n };
}

export function planLend(ctx: PlanContext, raw: LendingRaw, input: { amount: string }): Promise<Plan> {
  return planVaultDeposit(ctx, holding(raw), input, {
    label: (amount) => `Lend ${amount}`,
    verb: 'lend',
    risk: 'Lent tokens back providers’ stake; if a provider is slashed beyond its own bond, lenders share the loss. While most of the vault is lent out, taking yours back may have to wait for repayments.',
  });
}

export function planRedeemLend(ctx: PlanContext, raw: LendingRaw, input: { amount: string }): Plan {
  const sym = ctx.tokenSymbol;
  return planVaultExit(ctx, holding(raw), input, {
    nothing: 'Nothing is lent from this account.',
    limit: (amount) => {
      if (amount > raw.supplied) return refuse('insufficient_balance', `${tokenText(raw.supplied, sym)} is lent, less than the ${tokenText(amount, sym)} asked for.`);
      if (amount > raw.maxWithdraw)
        return refuse(
          'insufficient_liquidity',
          `The vault holds ${tokenText(raw.cash, sym)} not lent out, so this account can take out at most ${tokenText(raw.maxWithdraw, sym)} now, less than the ${tokenText(amount, sym)} asked for; the rest is lent to providers until they repay.`,
        );
      return null;
    },
  });
}

function pct(bps: bigint): string {
  return `${(Number(bps) / 100).toFixed(2).replace(/\.?0+$/, '')} %`;
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
  const limit = (collateralAfter * BigInt(raw.maxLtvBps)) / BPS;
  const ltv = pct(BigInt(raw.maxLtvBps));
  let problem = null;
  if (!staking.registered || !c.declared)
    problem = refuse(
      'not_registered',
      `Register as a provider in ${c.classLabel} first (the Market page); borrowed tokens are staked for a registered provider.`,
    );
  else if (c.minStake === 0n) problem = refuse('class_disabled', `The ${c.classLabel} market no longer takes stake.`);
  else if (c.active + amount < c.minStake)
    problem = refuse(
      'below_minimum',
      `The ${c.classLabel} market needs at least ${tokenText(c.minStake, sym)} staked; ${tokenText(c.active + amount, sym)} would be.`,
    );
  else if (amount > raw.cash)
    problem = refuse(
      'insufficient_liquidity',
      `The vault holds ${tokenText(raw.cash, sym)} not lent out, less than the ${tokenText(amount, sym)} to borrow.`,
    );
  else if (amount > raw.maxBorrow)
    problem = refuse(
      'borrow_limit',
      raw.collateral === 0n
        ? `The vault lends only against stake you already have: stake your own tokens first (the debt may be at most ${ltv} of the stake after borrowing).`
        : `The vault lends this account at most ${tokenText(raw.maxBorrow, sym)} now: the debt may be at most ${ltv} of the stake after borrowing. Borrowing ${tokenText(amount, sym)} would make it ${tokenText(debtAfter, sym)} against ${tokenText(collateralAfter, sym)} of stake (${pct((debtAfter * BPS) / collateralAfter)}; the limit is ${tokenText(limit, sym)}), a health factor of ${healthText(collateralAfter, debtAfter, raw.thresholdBps)} after.`,
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
      change('Liquidation below a stake of', raw.liquidationCollateral, liquidationLevel(debtAfter, raw.thresholdBps), sym),
    ],
    risks: [
      liquidationRisk(raw, debtAfter, sym),
      slashRisk(staking.unbondingDelay),
      interestRisk(raw, amount),
      'While you owe the vault, unbonding stake can be withdrawn only while the stake left keeps the health factor at 1 or above, and a liquidator can take it.',
    ],
    minimumReceived: null,
    problem,
  };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export async function planRepay(ctx: PlanContext, raw: LendingRaw, input: { amount: string }): Promise<Plan> {
  const asked = parseAmountOrAll(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  // "all" sends type(uint256).max: the vault takes exactly the debt at the block the repayment
  // lands in (interest accrues until then), so the approval covers the debt plus an hour of
  // interest at today's rate, capped at the balance.
  const margin = (raw.debt * raw.borrowRate * REPAY_MARGIN_SECONDS + WAD - 1n) / WAD + 1n;
  const allowance = asked === 'all' ? min(raw.debt + margin, ctx.tokenBalance) : asked;
  const paid = asked === 'all' ? raw.debt : asked;
  let problem = null;
  if (raw.debt === 0n) problem = refuse('nothing_to_repay', 'This account owes the vault nothing.');
  else if (asked !== 'all' && asked > raw.debt)
    problem = refuse(
      'bad_amount',
      `The debt is ${tokenText(raw.debt, sym)}, less than the ${tokenText(asked, sym)} to repay; use "all" to clear it.`,
    );
  else if (paid > ctx.tokenBalance)
    problem = refuse(
      'insufficient_balance',
      `The wallet holds ${tokenText(ctx.tokenBalance, sym)}, less than the ${tokenText(paid, sym)} to repay.`,
    );
  return {
    steps: [
      ...(problem ? [] : await approvalIfShort(ctx, ctx.deployment.token, raw.vault, allowance, 'the lending vault')),
      {
        label: `Repay ${asked === 'all' ? 'the whole debt' : `${formatUnits(asked)} ${sym}`}`,
        to: raw.vault,
        data: vaultIface.encodeFunctionData('repay', [asked === 'all' ? MAX_UINT : asked]),
        fallbackGas: 200_000n,
      },
    ],
    changes: [change('Borrowed', raw.debt, raw.debt - paid, sym), change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance - paid, sym)],
    risks:
      asked === 'all' && raw.debt > 0n
        ? [
            `The vault takes the debt as it stands when the repayment lands (interest accrues until then); the approval allows up to ${tokenText(allowance, sym)}, and what it does not take stays approved to the vault.`,
          ]
        : [],
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
