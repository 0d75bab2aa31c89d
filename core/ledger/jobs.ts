/** Jobs: first sight, state transitions with their events, and reads of one job or a set of states. */
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { HearthError } from '../../common/errors.ts';
import { addressText, baseUnits } from '../../common/ipc/groups/chain.ts';
import {
  marketJobDetail,
  marketJobState,
  type MarketJobDetail,
  type MarketJobState,
  type MarketJobTx,
} from '../../common/ipc/groups/market.ts';
import type { Clock, Logger } from '../ports.ts';
import { badRow, checked, detailOf, JOB_SELECT, REASON_STATES, type JobRow } from './job-rows.ts';
import type { RunInTransaction } from './transaction.ts';
import type { Ledger, NewJob } from './types.ts';

/** The ledger's key for a job: unique across networks and markets. */
export function jobKey(chainId: number, market: string, jobId: string): string {
  return `${chainId}:${market.toLowerCase()}:${jobId}`;
}

const newJobSchema = z.object({
  chainId: z.number().int().nonnegative(),
  market: addressText,
  classLabel: z.string(),
  jobId: z.string().regex(/^\d+$/),
  requester: addressText,
  model: z.string(),
  modelHash: z.string(),
  units: z.number().int().nonnegative(),
  maxPricePerUnitWei: baseUnits,
  deadline: z.number().int(),
  inputUri: z.string(),
  inputHash: z.string(),
  postedBlock: z.number().int().nonnegative(),
});

const patchSchema = z
  .object({
    pricePerUnitWei: baseUnits,
    resultHash: z.string(),
    deviceId: z.string(),
    executionProvider: z.string(),
    runMs: z.number().nonnegative(),
    electricityWei: baseUnits,
    provider: addressText,
  })
  .partial()
  .strict();

/** Patch field → column. */
const PATCH_COLUMNS = {
  pricePerUnitWei: 'price_wei',
  resultHash: 'result_hash',
  deviceId: 'device_id',
  executionProvider: 'execution_provider',
  runMs: 'run_ms',
  electricityWei: 'electricity_wei',
  provider: 'provider',
} as const;

function invalid(what: string, error: z.ZodError): HearthError {
  return new HearthError('ledger_invalid', `${what}: ${error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
}

/** The job part of the ledger. */
export function createJobs(deps: { db: DatabaseSync; clock: Clock; logger: Logger | undefined; transaction: RunInTransaction }) {
  const { db, clock, logger, transaction } = deps;
  const insertJob = db.prepare(`INSERT OR IGNORE INTO jobs (key, chain_id, market, class_label, job_id, requester, model,
    model_hash, units, max_price_wei, deadline, input_uri, input_hash, posted_block, state, seen_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seen', ?, ?)`);
  const insertEvent = db.prepare('INSERT INTO job_events (job_key, at, state, detail) VALUES (?, ?, ?, ?)');
  const selectJob = db.prepare(`${JOB_SELECT} WHERE j.key = ?`);
  const selectReason = db.prepare('SELECT reason FROM jobs WHERE key = ?');
  const selectEvents = db.prepare('SELECT at, state, detail FROM job_events WHERE job_key = ? ORDER BY id');
  const selectTxs = db.prepare(
    'SELECT hash, label, status, gas_used AS gasUsed, gas_wei AS gasWei, block_number AS blockNumber, at FROM txs WHERE job_key = ? ORDER BY at, hash',
  );

  function detail(row: JobRow): MarketJobDetail | null {
    const events = selectEvents.all(row.key) as unknown as MarketJobDetail['events'];
    const txs = selectTxs.all(row.key) as unknown as MarketJobTx[];
    return checked(marketJobDetail, detailOf(row, events, txs), row.key, logger);
  }

  const addJob: Ledger['addJob'] = (job: NewJob) => {
    const parsed = newJobSchema.safeParse(job);
    if (!parsed.success) throw invalid('A job to record is not valid', parsed.error);
    const j = parsed.data;
    const key = jobKey(j.chainId, j.market, j.jobId);
    const now = clock.now();
    return transaction(() => {
      const { changes } = insertJob.run(
        key,
        j.chainId,
        j.market,
        j.classLabel,
        j.jobId,
        j.requester,
        j.model,
        j.modelHash,
        j.units,
        j.maxPricePerUnitWei,
        j.deadline,
        j.inputUri,
        j.inputHash,
        j.postedBlock,
        now,
        now,
      );
      if (Number(changes) === 0) return false;
      insertEvent.run(key, now, 'seen', null);
      return true;
    });
  };

  const getJob: Ledger['getJob'] = (key) => {
    const row = selectJob.get(key) as JobRow | undefined;
    if (!row) return undefined;
    const result = detail(row);
    if (!result) throw badRow(key);
    return result;
  };

  const transition: Ledger['transition'] = (key, state: MarketJobState, note = null, patch = {}) => {
    if (!marketJobState.safeParse(state).success) throw new HearthError('ledger_invalid', `Unknown job state ${String(state)}.`);
    const parsed = patchSchema.safeParse(patch);
    if (!parsed.success) throw invalid(`A change to job ${key} is not valid`, parsed.error);
    const now = clock.now();
    transaction(() => {
      const current = selectReason.get(key) as { reason: string | null } | undefined;
      if (!current) throw new HearthError('ledger_unknown_job', `The job history has no job ${key}.`);
      // The reason is why the job ended for the ending states, else the last note given.
      const reason = note ?? (REASON_STATES.has(state) ? null : current.reason);
      const sets = ['state = ?', 'reason = ?', 'updated_at = ?'];
      const values: (string | number | null)[] = [state, reason, now];
      for (const [field, value] of Object.entries(parsed.data)) {
        if (value === undefined) continue;
        sets.push(`${PATCH_COLUMNS[field as keyof typeof PATCH_COLUMNS]} = ?`);
        values.push(field === 'provider' ? String(value).toLowerCase() : value);
      }
      db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE key = ?`).run(...values, key);
      insertEvent.run(key, now, state, note);
    });
  };

  const jobsIn: Ledger['jobsIn'] = (states, chainId) => {
    if (states.length === 0) return [];
    const marks = states.map(() => '?').join(', ');
    const where = chainId === undefined ? '' : ' AND j.chain_id = ?';
    const args = chainId === undefined ? states : [...states, chainId];
    const rows = db
      .prepare(`${JOB_SELECT} WHERE j.state IN (${marks})${where} ORDER BY j.seen_at, j.key`)
      .all(...args) as unknown as JobRow[];
    return rows.map(detail).filter((d): d is MarketJobDetail => d !== null);
  };

  return { addJob, getJob, transition, jobsIn };
}
