/**
 * Job rows as stored and as returned: the SELECT that reads them (with their summed gas), the
 * mapping to the IPC views, and the check that what comes back from disk is what the views promise.
 */
import type { z } from 'zod';
import { HearthError } from '../../common/errors.ts';
import type {
  marketJobDetail,
  marketJobView,
  MarketJobDetail,
  MarketJobEvent,
  MarketJobState,
  MarketJobTx,
  MarketJobView,
} from '../../common/ipc/groups/market.ts';
import type { Logger } from '../ports.ts';
import { sumWeiList } from './wei.ts';

/** States whose transition note is the reason the job ended. */
export const REASON_STATES: ReadonlySet<MarketJobState> = new Set(['declined', 'failed', 'abandoned', 'expired', 'faulted']);
/** States a job never leaves. */
export const TERMINAL_STATES: readonly MarketJobState[] = ['declined', 'paid', 'faulted', 'expired', 'abandoned', 'failed'];
/** What the Jobs page calls problems. */
export const PROBLEM_STATES: readonly MarketJobState[] = ['failed', 'abandoned', 'expired', 'faulted', 'disputed'];

/** A `jobs` row with its transactions' gas, as `JOB_SELECT` reads it. */
export interface JobRow {
  key: string;
  chain_id: number;
  market: string;
  class_label: string;
  job_id: string;
  requester: string;
  model: string;
  units: number;
  max_price_wei: string;
  price_wei: string | null;
  deadline: number;
  input_uri: string;
  input_hash: string;
  result_hash: string | null;
  state: string;
  reason: string | null;
  seen_at: number;
  updated_at: number;
  earned_wei: string | null;
  fee_wei: string | null;
  device_id: string | null;
  execution_provider: string | null;
  run_ms: number | null;
  gas_list: string | null;
}

/** Columns of a job row plus its gas (comma-joined per transaction, summed in JS: wei exceeds 2^63). */
export const JOB_SELECT = `SELECT j.key, j.chain_id, j.market, j.class_label, j.job_id, j.requester, j.model, j.units,
  j.max_price_wei, j.price_wei, j.deadline, j.input_uri, j.input_hash, j.result_hash, j.state, j.reason, j.seen_at,
  j.updated_at, j.earned_wei, j.fee_wei, j.device_id, j.execution_provider, j.run_ms,
  (SELECT group_concat(t.gas_wei) FROM txs t WHERE t.job_key = j.key AND t.gas_wei IS NOT NULL) AS gas_list
  FROM jobs j`;

/** The view of a row, unchecked (see `checked`). */
export function viewOf(row: JobRow): MarketJobView {
  return {
    key: row.key,
    chainId: row.chain_id,
    market: row.market,
    classLabel: row.class_label,
    jobId: row.job_id,
    requester: row.requester,
    model: row.model,
    units: row.units,
    maxPricePerUnitWei: row.max_price_wei,
    pricePerUnitWei: row.price_wei,
    deadline: row.deadline,
    state: row.state as MarketJobState,
    reason: row.reason,
    seenAt: row.seen_at,
    updatedAt: row.updated_at,
    earnedWei: row.earned_wei,
    feeWei: row.fee_wei,
    gasWei: sumWeiList(row.gas_list),
    deviceId: row.device_id,
    executionProvider: row.execution_provider,
    runMs: row.run_ms,
  };
}

/** The detail of a row with its events and transactions, unchecked. */
export function detailOf(row: JobRow, events: MarketJobEvent[], txs: MarketJobTx[]): MarketJobDetail {
  return { ...viewOf(row), inputUri: row.input_uri, inputHash: row.input_hash, resultHash: row.result_hash, events, txs };
}

/**
 * Parses `value` with the view's schema. A row that does not parse (a hand-edited or half-migrated
 * file) is logged and reported as null, so callers skip it instead of passing garbage on.
 */
export function checked<S extends typeof marketJobView | typeof marketJobDetail>(
  schema: S,
  value: unknown,
  key: string,
  logger: Logger | undefined,
): z.infer<S> | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.infer<S>;
  logger?.error('ledger: a stored job does not match its schema; skipped', {
    key,
    issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  });
  return null;
}

/** The error a single-job read throws for a row that does not parse. */
export function badRow(key: string): HearthError {
  return new HearthError('ledger_bad_row', `The job history entry ${key} is damaged and cannot be shown.`);
}
