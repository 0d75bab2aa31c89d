/**
 * The ledger's public shape: what the market agent and the market capability code against.
 * Amounts are decimal strings of wei (they exceed 2^63, so they are stored as TEXT and summed with BigInt).
 */
import type { HearthError } from '../../common/errors.ts';
import type { EarningsSummary, MarketJobDetail, MarketJobState, MarketJobView } from '../../common/ipc/groups/market.ts';

/** A job as first seen on the chain (JobPosted), before any decision about it. */
export interface NewJob {
  chainId: number;
  market: string;
  classLabel: string;
  /** Decimal. */
  jobId: string;
  requester: string;
  model: string;
  modelHash: string;
  units: number;
  maxPricePerUnitWei: string;
  /** ms since the epoch. */
  deadline: number;
  inputUri: string;
  inputHash: string;
  postedBlock: number;
}

/** Fields a transition may fill in. Gas is never patched: it is summed from the job's transactions. */
export interface JobPatch {
  pricePerUnitWei?: string;
  resultHash?: string;
  deviceId?: string;
  executionProvider?: string;
  runMs?: number;
  electricityWei?: string;
  gasWei?: never;
  /** Our provider address once we claim it (lets `totals` and `earnings` tell wallets apart). */
  provider?: string;
}

export type JobsFilter = 'all' | 'active' | 'paid' | 'declined' | 'problems';

export interface TxRecord {
  hash: string;
  jobKey: string | null;
  label: string;
  status: 'pending' | 'confirmed' | 'failed';
  gasUsed?: string | null;
  gasWei?: string | null;
  blockNumber?: number | null;
  /** ms; defaults to the clock's now on first record and is kept on updates. */
  at?: number;
  /** Chain of a transaction not tied to a job (claim-rewards…); a job's transactions take the job's chain. */
  chainId?: number | null;
}

export interface PaymentRecord {
  jobKey: string;
  chainId: number;
  provider: string;
  amountWei: string;
  feeWei: string;
  blockNumber: number;
  txHash: string;
  at: number;
}

/** One value sample of an account's positions (decimal wei strings), for the Earn charts. */
export interface PositionSampleRow {
  at: number;
  stakingWei: string;
  lendingWei: string;
  feePoolWei: string;
  liquidityEthWei: string;
  totalTokenWei: string;
}

/** The first liquidity deposit the ledger saw for an account and pair. */
export interface LpDepositRow {
  at: number;
  tokenWei: string;
  ethWei: string;
  /** sqrt(reserve0 · reserve1) · 1e18 / LP supply just after the deposit. */
  rootKPerLp: string;
}

export interface TelemetrySample {
  at: number;
  deviceId: string;
  utilizationPct: number | null;
  temperatureC: number | null;
  powerW: number | null;
}

/** How an open recovered from a damaged file: the error it reports and where the old file went. */
export interface LedgerRecovery {
  error: HearthError;
  movedTo: string;
}

export interface Ledger {
  /** Set when the file was not a readable ledger and was moved aside; the app should tell the user. */
  readonly recovery: LedgerRecovery | null;
  /** Inserts a job first seen (state 'seen', an event row); returns false and changes nothing when the key exists. */
  addJob(job: NewJob): boolean;
  /** The job with its events (oldest first) and transactions; throws `ledger_bad_row` when the stored row does not parse. */
  getJob(key: string): MarketJobDetail | undefined;
  /** Moves a job to `state`, appends an event with `detail`, sets `reason`, and patches fields. Throws on unknown key. */
  transition(key: string, state: MarketJobState, detail?: string | null, patch?: JobPatch): void;
  /** Jobs whose state is one of `states` (restart recovery), oldest first; optional chainId filter. */
  jobsIn(states: MarketJobState[], chainId?: number): MarketJobDetail[];
  /** A page of jobs, newest first by seenAt; `total` counts every match (ignoring `before` and `limit`). */
  listJobs(q: { filter: JobsFilter; search: string; limit: number; before?: number; chainId?: number }): {
    jobs: MarketJobView[];
    total: number;
  };
  /** A transaction sent for a job (or none); idempotent by hash: a second call updates status/gas/block. */
  recordTx(tx: TxRecord): void;
  /** A JobSettled payment to us; idempotent by jobKey (same values: no-op, false; different values throw). Sets the job's earnedWei/feeWei. */
  recordPayment(p: PaymentRecord): boolean;
  /** Sums for the status line, for one chain and provider address. */
  totals(q: { chainId: number; provider: string; feeBps: number }): {
    jobsPaid: number;
    earnedWei: string;
    pendingWei: string;
    lastPaymentAt: number | null;
  };
  /** Payments recorded for the provider on a chain (for reconciliation with the chain's JobSettled events), by block. */
  payments(q: { chainId: number; provider: string }): { jobKey: string; amountWei: string; blockNumber: number; txHash: string }[];
  /** The last 30 local days including today, zero-filled, and today/7 d/30 d totals. */
  earnings(q: { chainId: number; provider: string; now: number; tzOffsetMinutes: number }): EarningsSummary;
  /** Event-follower cursor per name (e.g. `${chainId}:${market}`): last processed block and its hash. */
  getCursor(name: string): { block: number; hash: string } | undefined;
  setCursor(name: string, block: number, hash: string): void;
  /** Remembers a block hash for reorg detection (the last 256 blocks per name are kept). */
  saveBlockHash(name: string, block: number, hash: string): void;
  blockHash(name: string, block: number): string | undefined;
  /** Rewinds: removes saved block hashes above `block` for `name` (after a reorg). */
  forgetBlocksAbove(name: string, block: number): void;
  /** Telemetry sample; raw for 24 h, then averaged per minute, dropped after 30 days (compacted hourly on insert). */
  addTelemetry(s: TelemetrySample): void;
  /** Samples in [from, to], oldest first: raw ones and per-minute averages. */
  telemetry(q: { deviceId: string; from: number; to: number }): Omit<TelemetrySample, 'deviceId'>[];
  /** Downsamples and drops old telemetry now. */
  compact(): void;
  /** Keeps one value sample per account and minute (a later one in the same minute replaces it). */
  addPositionSample(q: { chainId: number; address: string }, sample: PositionSampleRow): void;
  /** The newest sample's time for the account, or null. */
  lastPositionSampleAt(q: { chainId: number; address: string }): number | null;
  /** Samples at or after `from`, oldest first. */
  positionSamples(q: { chainId: number; address: string; from: number }): PositionSampleRow[];
  /** Records the deposit unless one is already recorded for the pair (the first one stays). */
  recordLpDeposit(q: { chainId: number; address: string; pair: string }, deposit: LpDepositRow): void;
  lpDeposit(q: { chainId: number; address: string; pair: string }): LpDepositRow | undefined;
  /** Forgets the baseline after the account took all its liquidity out. */
  clearLpDeposit(q: { chainId: number; address: string; pair: string }): void;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on throw); nests as a savepoint. */
  transaction<T>(fn: () => T): T;
  /** Closes the database and releases the lock file. */
  close(): void;
}
