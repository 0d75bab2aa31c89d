import { z } from 'zod';
import { call } from '../define.ts';
import { decimalText } from '../../settings.ts';
import { addressText, baseUnits } from './chain.ts';

/**
 * A market job's life as the provider's ledger records it. Terminal states: declined,
 * paid, faulted (a dispute went against us), expired (deadline missed, penalty taken),
 * abandoned (given up cleanly before work, or the requester cancelled), failed.
 */
export const marketJobState = z.enum([
  'seen',
  'declined',
  'claiming',
  'claimed',
  'fetching',
  'running',
  'delivering',
  'committing',
  'committed',
  'settling',
  'paid',
  'disputed',
  'faulted',
  'expired',
  'abandoned',
  'failed',
]);
export type MarketJobState = z.infer<typeof marketJobState>;

/** One job in the ledger, as the Jobs page lists it. Amounts in token wei, times in ms. */
export const marketJobView = z.object({
  /** `${chainId}:${market address lower-case}:${jobId}`: unique across networks. */
  key: z.string(),
  chainId: z.number().int(),
  market: addressText,
  classLabel: z.string(),
  jobId: z.string(),
  requester: addressText,
  /** Catalog id when the model hash is known, else the hash. */
  model: z.string(),
  units: z.number().int().nonnegative(),
  maxPricePerUnitWei: baseUnits,
  pricePerUnitWei: baseUnits.nullable(),
  deadline: z.number().int(),
  state: marketJobState,
  /** Why it was declined, failed or abandoned; the last note otherwise. */
  reason: z.string().nullable(),
  seenAt: z.number().int(),
  updatedAt: z.number().int(),
  /** Paid to us (after the protocol fee), once settled. */
  earnedWei: baseUnits.nullable(),
  feeWei: baseUnits.nullable(),
  /** Gas we spent on this job's transactions, in native wei. */
  gasWei: baseUnits,
  deviceId: z.string().nullable(),
  /** Execution provider the worker used (cpu, cuda, dml, coreml). */
  executionProvider: z.string().nullable(),
  runMs: z.number().nullable(),
});
export type MarketJobView = z.infer<typeof marketJobView>;

export const marketJobEvent = z.object({ at: z.number().int(), state: marketJobState, detail: z.string().nullable() });
export type MarketJobEvent = z.infer<typeof marketJobEvent>;

export const marketJobTx = z.object({
  hash: z.string(),
  /** claim, commit, settle, claim-rewards… */
  label: z.string(),
  status: z.enum(['pending', 'confirmed', 'failed']),
  gasUsed: baseUnits.nullable(),
  gasWei: baseUnits.nullable(),
  blockNumber: z.number().int().nullable(),
  at: z.number().int(),
});
export type MarketJobTx = z.infer<typeof marketJobTx>;

export const marketJobDetail = marketJobView.extend({
  inputUri: z.string(),
  inputHash: z.string(),
  resultHash: z.string().nullable(),
  events: z.array(marketJobEvent),
  txs: z.array(marketJobTx),
});
export type MarketJobDetail = z.infer<typeof marketJobDetail>;

/** One device class the provider can serve on the active network. */
export const marketClassView = z.object({
  classLabel: z.string(),
  classId: z.string(),
  market: addressText,
  stakeWei: baseUnits,
  /** Part of the stake held as collateral by open claims (free = stake − locked). */
  lockedWei: baseUnits,
  minStakeWei: baseUnits,
  /** Registered for this class with at least the minimum stake. */
  eligible: z.boolean(),
  /** The market's current price per unit. */
  priceWei: baseUnits,
  floorWei: baseUnits,
  /** One of this machine's enabled devices can serve it. */
  servable: z.boolean(),
});
export type MarketClassView = z.infer<typeof marketClassView>;

/**
 * no-network: the active network does not answer · no-contracts: no protocol deployment
 * known for it · no-wallet · locked (the wallet must be unlocked to claim and sign) ·
 * unregistered: not a provider yet, or no class staked · off: paid work turned off in
 * Settings · waiting: looking for jobs · working: a job is in progress.
 */
export const marketState = z.enum(['no-network', 'no-contracts', 'no-wallet', 'locked', 'unregistered', 'off', 'waiting', 'working']);
export type MarketState = z.infer<typeof marketState>;

export const currentMarketJob = z.object({
  key: z.string(),
  jobId: z.string(),
  model: z.string(),
  units: z.number().int(),
  state: marketJobState,
  /** 0..1 while running, null when unknown. */
  progress: z.number().min(0).max(1).nullable(),
  startedAt: z.number().int(),
});

export const marketStatus = z.object({
  state: marketState,
  /** One sentence: what Hearth is doing on the market and why, or what to do next. */
  reason: z.string(),
  address: addressText.nullable(),
  registered: z.boolean(),
  providerId: z.number().int().nullable(),
  classes: z.array(marketClassView),
  /** The class this machine's best enabled device belongs to. */
  suggestedClass: z.string().nullable(),
  currentJob: currentMarketJob.nullable(),
  /** Jobs waiting for this provider that need the wallet unlocked (claimed and not committed, or open and matching). */
  waitingForUnlock: z.number().int().nonnegative(),
  jobsPaid: z.number().int().nonnegative(),
  earnedWei: baseUnits,
  /** Committed, not yet settled. */
  pendingWei: baseUnits,
  lastPaymentAt: z.number().int().nullable(),
  minPricePerUnitWei: baseUnits,
  /** Last comparison of the ledger's payments with the chain's JobSettled events. */
  reconciliation: z.object({
    at: z.number().int().nullable(),
    ok: z.boolean(),
    ledgerWei: baseUnits,
    chainWei: baseUnits,
    message: z.string().nullable(),
  }),
  onboarding: z.object({
    wallet: z.enum(['todo', 'done']),
    provider: z.enum(['todo', 'done', 'skipped']),
    rules: z.enum(['todo', 'done', 'skipped']),
  }),
});
export type MarketStatus = z.infer<typeof marketStatus>;

/** Earned per local day, oldest first, for the chart. */
export const earningsDay = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  earnedWei: baseUnits,
  gasWei: baseUnits,
  jobs: z.number().int().nonnegative(),
  /** Electricity the day's jobs cost, in token wei, when the user gave a price and power was known. */
  electricityWei: baseUnits.nullable(),
});
export type EarningsDay = z.infer<typeof earningsDay>;

export const earningsSummary = z.object({
  todayWei: baseUnits,
  weekWei: baseUnits,
  monthWei: baseUnits,
  /** The last 30 local days, including today, every day present. */
  days: z.array(earningsDay),
  /** Electricity over the same 30 days, when known. */
  electricityMonthWei: baseUnits.nullable(),
});
export type EarningsSummary = z.infer<typeof earningsSummary>;

export const jobsFilter = z.enum(['all', 'active', 'paid', 'declined', 'problems']);

export const registerInput = z
  .object({
    classLabel: z.string().min(1).max(64),
    /** Whole tokens, e.g. "100". */
    stake: decimalText,
  })
  .strict();

export const registerPreview = z.object({
  classLabel: z.string(),
  stakeWei: baseUnits,
  minStakeWei: baseUnits,
  /** The amount suggested: the market's minimum plus room for penalties. */
  suggestedStakeWei: baseUnits,
  tokenBalanceWei: baseUnits,
  nativeBalanceWei: baseUnits,
  /** Transactions needed (register, approve, stake), with the fee they may cost. */
  steps: z.array(z.string()),
  estimatedGasWei: baseUnits,
  maxGasWei: baseUnits,
  /** Why it cannot be done as asked (too little balance…), null when it can. */
  problem: z.string().nullable(),
});
export type RegisterPreview = z.infer<typeof registerPreview>;

const empty = z.object({}).strict().prefault({});

export const marketCalls = {
  'market:status': call(empty, marketStatus),
  /** Ledger jobs, newest first. `before` pages by seenAt. */
  'market:jobs': call(
    z
      .object({
        filter: jobsFilter.default('all'),
        search: z.string().trim().max(100).default(''),
        limit: z.number().int().min(1).max(500).default(100),
        before: z.number().int().optional(),
      })
      .strict()
      .prefault({}),
    z.object({ jobs: z.array(marketJobView), total: z.number().int().nonnegative() }),
  ),
  'market:job': call(z.object({ key: z.string().max(200) }).strict(), marketJobDetail),
  'market:earnings': call(empty, earningsSummary),
  /** What registering and staking would take (gas, balances), without sending anything. */
  'market:preview-register': call(registerInput, registerPreview),
  /** Registers as a provider (if needed) and stakes `stake` in the class; waits for confirmation. */
  'market:register': call(registerInput, marketStatus),
  /** Checks the ledger against the chain now. */
  'market:reconcile': call(empty, marketStatus),
};

export const marketEvents = {
  'market:status': marketStatus,
};
