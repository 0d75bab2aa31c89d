/**
 * Turns a market's logs into ledger entries. Idempotent (the follower replays logs after
 * a crash), and never moves a job backwards: a JobClaimed seen after our own claim
 * already moved the job on changes nothing.
 */
import type { MarketJobState } from '../../common/ipc/groups/market.ts';
import { formatUnits } from 'ethers';
import type { Ledger } from '../ledger/index.ts';
import { jobKey } from '../ledger/index.ts';
import { isDiskFull } from '../fs/disk-full.ts';
import { marketIface } from './chain-reads.ts';

/** A log as eth_getLogs returns it. */
export interface MarketLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
}

/** How far along a state is; terminal states rank highest so nothing moves a finished job. */
const RANK: Record<MarketJobState, number> = {
  seen: 0,
  fetching: 1,
  claiming: 2,
  claimed: 3,
  running: 4,
  delivering: 5,
  committing: 6,
  committed: 7,
  settling: 8,
  disputed: 9,
  declined: 100,
  paid: 100,
  faulted: 100,
  expired: 100,
  abandoned: 100,
  failed: 100,
};

export function isTerminal(state: MarketJobState): boolean {
  return RANK[state] >= 100;
}

/** Moves a job forward only; returns whether it moved. */
export function advance(ledger: Ledger, key: string, state: MarketJobState, detail: string | null, patch?: Parameters<Ledger['transition']>[3]): boolean {
  const job = ledger.getJob(key);
  if (!job) return false;
  if (isTerminal(job.state) || RANK[job.state] >= RANK[state]) return false;
  ledger.transition(key, state, detail, patch);
  return true;
}

export interface EventContext {
  ledger: Ledger;
  chainId: number;
  /** Our provider address (lower-case), null without a wallet. */
  me: string | null;
  /** A JobPosted this provider should look at: added to the ledger and decided. */
  onPosted: (job: PostedJob) => void;
  now: () => number;
  symbol: string;
}

export interface PostedJob {
  key: string;
  market: string;
  jobId: bigint;
  requester: string;
  units: number;
  maxPricePerUnit: bigint;
  deadline: bigint;
  modelHash: string;
  inputHash: string;
  inputUri: string;
  block: number;
}

const fmt = (wei: bigint, symbol: string): string => `${formatUnits(wei, 18).replace(/\.0$/, '')} ${symbol}`;

/**
 * Applies logs in order. One the ledger refuses is reported to `onRefused` and skipped, so it
 * cannot stop the follower forever (reconciliation shows any difference), except on a full
 * disk: that is no fault of the log, and skipping would let the follower move its cursor past
 * a payment never recorded. It is thrown, the poll fails with its reason, and the same logs are
 * read again once there is room.
 */
export function applyMarketLogs(logs: readonly MarketLog[], ctxFor: (log: MarketLog) => EventContext, onRefused: (log: MarketLog, error: unknown) => void): void {
  for (const log of logs) {
    try {
      applyMarketLog(log, ctxFor(log));
    } catch (error) {
      if (isDiskFull(error)) throw error;
      onRefused(log, error);
    }
  }
}

/** Applies one market log to the ledger. Logs of other contracts or unknown events are ignored. */
export function applyMarketLog(log: MarketLog, ctx: EventContext): void {
  let parsed;
  try {
    parsed = marketIface.parseLog({ topics: log.topics, data: log.data });
  } catch {
    return; // not a JobMarket event (or malformed): nothing to record
  }
  if (!parsed) return;
  const a = parsed.args;
  const market = log.address.toLowerCase();
  const jobId = BigInt(a[0] as bigint);
  const key = jobKey(ctx.chainId, market, jobId.toString());
  const mine = (address: unknown): boolean => ctx.me !== null && String(address).toLowerCase() === ctx.me;
  const { ledger } = ctx;
  switch (parsed.name) {
    case 'JobPosted': {
      ctx.onPosted({
        key,
        market,
        jobId,
        requester: String(a[1]),
        units: Number(a[2]),
        maxPricePerUnit: BigInt(a[3] as bigint),
        deadline: BigInt(a[4] as bigint),
        modelHash: String(a[5]),
        inputHash: String(a[6]),
        inputUri: String(a[7]),
        block: Number(BigInt(log.blockNumber)),
      });
      return;
    }
    case 'JobClaimed':
      if (mine(a[1])) advance(ledger, key, 'claimed', 'Claimed on-chain', { pricePerUnitWei: BigInt(a[3] as bigint).toString(), provider: String(a[1]) });
      else if (ledger.getJob(key)?.state === 'seen') ledger.transition(key, 'abandoned', 'Another provider claimed it first.');
      return;
    case 'JobCommitted':
      if (mine(a[1])) advance(ledger, key, 'committed', 'Result hash committed; waiting for the challenge window', { resultHash: String(a[2]) });
      return;
    case 'JobSettled':
      if (mine(a[1])) {
        const amount = BigInt(a[2] as bigint);
        const fee = BigInt(a[3] as bigint);
        ledger.transaction(() => {
          ledger.recordPayment({
            jobKey: key,
            chainId: ctx.chainId,
            provider: String(a[1]),
            amountWei: amount.toString(),
            feeWei: fee.toString(),
            blockNumber: Number(BigInt(log.blockNumber)),
            txHash: log.transactionHash,
            at: ctx.now(),
          });
          advance(ledger, key, 'paid', `Paid ${fmt(amount, ctx.symbol)} (protocol fee ${fmt(fee, ctx.symbol)})`);
        });
      }
      return;
    case 'JobExpired': {
      const job = ledger.getJob(key);
      if (!job) return;
      if (mine(a[2])) {
        advance(ledger, key, 'expired', `The deadline passed before the result was committed; ${fmt(BigInt(a[3] as bigint), ctx.symbol)} of stake was slashed.`);
      } else if (job.state === 'seen') {
        ledger.transition(key, 'abandoned', 'Nobody took it before its deadline.');
      }
      return;
    }
    case 'JobCancelled':
      if (ledger.getJob(key)?.state === 'seen') ledger.transition(key, 'abandoned', 'The requester withdrew the job.');
      return;
    case 'JobDisputed':
      advance(ledger, key, 'disputed', `The requester disputed the result (bond ${fmt(BigInt(a[1] as bigint), ctx.symbol)}); an arbiter will rule.`);
      return;
    case 'DisputeResolved':
      if (a[1] === true) advance(ledger, key, 'faulted', `The arbiter ruled the result wrong; ${fmt(BigInt(a[2] as bigint), ctx.symbol)} of stake was slashed.`);
      return;
    default:
  }
}
