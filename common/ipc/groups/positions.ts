import { z } from 'zod';
import { call } from '../define.ts';
import { addressText, baseUnits } from './chain.ts';

/**
 * The Earn page's picture of the selected account on the active network: staking, lending,
 * the fee pool and the token/ETH liquidity pool, each valued in the token and in ETH at the
 * pair's price. Amounts are base units (wei) as decimal strings; rates are plain numbers
 * (0.05 = 5 % a year); times are ms since the epoch. A kind the deployment does not have is
 * null, with `missing` saying why.
 */

/** ETH wei for one whole token (1e18 token wei), from the pair's reserves; null without a pair. */
const priceEthPerToken = baseUnits.nullable();

export const stakingClassPosition = z.object({
  classLabel: z.string(),
  classId: z.string(),
  /** Counting for eligibility and rewards. */
  activeWei: baseUnits,
  /** Part of active held as collateral by open claims; cannot be unbonded until they close. */
  lockedWei: baseUnits,
  unbondingWei: baseUnits,
  /** When the unbonding balance can be withdrawn; null when nothing is unbonding. */
  releaseAt: z.number().int().nullable(),
  minStakeWei: baseUnits,
});

export const stakingPosition = z.object({
  registered: z.boolean(),
  classes: z.array(stakingClassPosition),
  totalWei: baseUnits,
  rewardsWei: baseUnits,
  /** Sum of Slashed events against this account since the deployment. */
  slashedWei: baseUnits,
  slashes: z.number().int().nonnegative(),
  unbondingDelaySeconds: z.number().int().nonnegative(),
  valueEthWei: baseUnits.nullable(),
});
export type StakingPosition = z.infer<typeof stakingPosition>;

export const lendingPosition = z.object({
  vault: addressText,
  shares: baseUnits,
  /** What the shares redeem for now. */
  suppliedWei: baseUnits,
  /** Debt with interest to this block. */
  borrowedWei: baseUnits,
  /** The vault as a whole. */
  totalAssetsWei: baseUnits,
  totalBorrowedWei: baseUnits,
  utilization: z.number().min(0).max(1),
  borrowApr: z.number().nonnegative(),
  supplyApr: z.number().nonnegative(),
  /** Collateral × threshold ÷ debt, as a decimal; null without debt. Below 1 it can be liquidated. */
  healthFactor: z.number().nonnegative().nullable(),
  /** Stake below which liquidation starts (slashes bring it closer); null without debt. */
  liquidationStakeWei: baseUnits.nullable(),
  /** How much more could be borrowed to stake now. */
  borrowableWei: baseUnits,
  /** Share of each payment that repays the debt automatically (0..10000). */
  autoRepayBps: z.number().int().min(0).max(10_000),
  liquidationThresholdBps: z.number().int(),
  liquidationBonusBps: z.number().int(),
  valueEthWei: baseUnits.nullable(),
});
export type LendingPosition = z.infer<typeof lendingPosition>;

export const feePoolPosition = z.object({
  pool: addressText,
  shares: baseUnits,
  /** The pool's share token decimals (the token's 18 plus its inflation-defence offset). */
  shareDecimals: z.number().int().min(0).max(36),
  valueWei: baseUnits,
  totalAssetsWei: baseUnits,
  /** Yearly yield from fees seen in the window, null when there is not enough history. */
  apy: z.number().nullable(),
  /** How the APY was computed, in one sentence (window, fees, pool size). */
  apyBasis: z.string(),
  feesInWindowWei: baseUnits,
  windowSeconds: z.number().int().nonnegative(),
  valueEthWei: baseUnits.nullable(),
});
export type FeePoolPosition = z.infer<typeof feePoolPosition>;

export const liquidityPosition = z.object({
  pair: addressText,
  router: addressText,
  lpBalance: baseUnits,
  lpTotalSupply: baseUnits,
  /** lpBalance ÷ lpTotalSupply. */
  share: z.number().min(0).max(1),
  tokenWei: baseUnits,
  ethWei: baseUnits,
  reserveTokenWei: baseUnits,
  reserveEthWei: baseUnits,
  /** Fees earned since the first deposit the ledger saw (growth of √k per LP token), in ETH. */
  feesEthWei: baseUnits.nullable(),
  valueEthWei: baseUnits,
  /** What the deposited amounts would be worth now had they been held; null without history. */
  holdValueEthWei: baseUnits.nullable(),
});
export type LiquidityPosition = z.infer<typeof liquidityPosition>;

export const positionsView = z.object({
  address: addressText.nullable(),
  chainId: z.number().int(),
  block: z.number().int().nullable(),
  at: z.number().int(),
  tokenSymbol: z.string(),
  nativeSymbol: z.string(),
  tokenBalanceWei: baseUnits,
  nativeBalanceWei: baseUnits,
  priceEthPerToken,
  staking: stakingPosition.nullable(),
  lending: lendingPosition.nullable(),
  feePool: feePoolPosition.nullable(),
  liquidity: liquidityPosition.nullable(),
  /** Everything above plus the wallet's own balances. */
  totalTokenWei: baseUnits,
  totalEthWei: baseUnits.nullable(),
  /** Why a kind is absent or the view is partial (no wallet, no network, no vault in the addresses file…). */
  missing: z.array(z.object({ kind: z.enum(['all', 'staking', 'lending', 'feePool', 'liquidity']), reason: z.string() })),
});
export type PositionsView = z.infer<typeof positionsView>;

/** Decimal amount in whole tokens (or ETH), e.g. "1.5"; checked in core with a clear message. */
const amount = z.string().trim().max(80);
const classLabel = z.string().min(1).max(64);
/** Largest price move accepted, in basis points of the quoted amount (50 = 0.5 %). */
const slippageBps = z.number().int().min(0).max(5_000).default(50);

export const positionAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stake'), classLabel, amount }).strict(),
  z.object({ kind: z.literal('unbond'), classLabel, amount }).strict(),
  z.object({ kind: z.literal('withdraw'), classLabel }).strict(),
  z.object({ kind: z.literal('claim-rewards') }).strict(),
  z.object({ kind: z.literal('lend'), amount }).strict(),
  /** `amount` of tokens out, or "all". */
  z.object({ kind: z.literal('redeem-lend'), amount }).strict(),
  z.object({ kind: z.literal('borrow-to-stake'), classLabel, amount }).strict(),
  /** `amount` of tokens, or "all" (the debt with interest to the next blocks). */
  z.object({ kind: z.literal('repay'), amount }).strict(),
  z.object({ kind: z.literal('set-auto-repay'), bps: z.number().int().min(0).max(10_000) }).strict(),
  z.object({ kind: z.literal('pool-deposit'), amount }).strict(),
  z.object({ kind: z.literal('pool-redeem'), amount }).strict(),
  /** `amount` of tokens; the ETH side is matched at the pair's price. */
  z.object({ kind: z.literal('add-liquidity'), amount, slippageBps }).strict(),
  /** `percent` of the LP balance. */
  z.object({ kind: z.literal('remove-liquidity'), percent: z.number().min(0.01).max(100), slippageBps }).strict(),
  /** Sell `amount` tokens for ETH, or ETH for tokens. */
  z.object({ kind: z.literal('swap'), direction: z.enum(['token-to-eth', 'eth-to-token']), amount, slippageBps }).strict(),
]);
export type PositionAction = z.infer<typeof positionAction>;
export type PositionActionKind = PositionAction['kind'];

export const positionPreview = z.object({
  action: positionAction,
  /** Transactions that will be sent, in order (approve, deposit…). */
  steps: z.array(z.string()),
  estimatedGasWei: baseUnits,
  maxGasWei: baseUnits,
  /** The figures this action changes, before and after, already formatted for people. */
  changes: z.array(z.object({ label: z.string(), before: z.string(), after: z.string() })),
  /** For price-moving actions: the least that will be received (the transaction reverts below it). */
  minimumReceived: z.string().nullable(),
  /** Plain words for the risk this action takes on (liquidation, impermanent loss, unbonding delay). */
  risks: z.array(z.string()),
  /** Why it cannot be done as asked, null when it can. Nothing is signed while this is set. */
  problem: z.string().nullable(),
});
export type PositionPreview = z.infer<typeof positionPreview>;

/** One value sample from the ledger, for the charts. */
export const positionSample = z.object({
  at: z.number().int(),
  stakingWei: baseUnits,
  lendingWei: baseUnits,
  feePoolWei: baseUnits,
  liquidityEthWei: baseUnits,
  totalTokenWei: baseUnits,
});
export type PositionSample = z.infer<typeof positionSample>;

const empty = z.object({}).strict().prefault({});

export const positionsCalls = {
  'positions:get': call(empty, positionsView),
  /** What an action would do, cost and risk; sends nothing. */
  'positions:preview': call(positionAction, positionPreview),
  /** Sends the action's transactions through the transaction manager and waits for them. */
  'positions:act': call(
    positionAction,
    z.object({ txHashes: z.array(z.string()), positions: positionsView }),
  ),
  /** Value samples from the ledger, oldest first, over the last `days`. */
  'positions:history': call(
    z.object({ days: z.number().int().min(1).max(365).default(30) }).strict().prefault({}),
    z.object({ samples: z.array(positionSample) }),
  ),
};
