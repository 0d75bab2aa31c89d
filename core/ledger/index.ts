/**
 * The ledger: every market job, payment, transaction and telemetry sample in SQLite (WAL), so
 * history, earnings and accounting survive crashes. This file only opens and wires; each part
 * (jobs, listing, txs, payments, earnings, cursors, telemetry) lives in its own module.
 */
import { dirname } from 'node:path';
import { isHearthError } from '../../common/errors.ts';
import { diskFullError, isDiskFull } from '../fs/disk-full.ts';
import type { Clock, Logger } from '../ports.ts';
import { createCursors } from './cursors.ts';
import { openDatabase } from './db.ts';
import { createEarnings } from './earnings.ts';
import { createJobs } from './jobs.ts';
import { createList } from './list.ts';
import { createPayments } from './payments.ts';
import { createPositions } from './positions.ts';
import { createTelemetry } from './telemetry.ts';
import { createTransaction } from './transaction.ts';
import { createTxs } from './txs.ts';
import type { Ledger } from './types.ts';

export { jobKey } from './jobs.ts';
export type { JobPatch, JobsFilter, Ledger, LedgerRecovery, LpDepositRow, NewJob, PaymentRecord, PositionSampleRow, TelemetrySample, TxRecord } from './types.ts';

/**
 * Opens the ledger at `path` (created with its folder if missing). Throws HearthError `ledger_busy`
 * when another Hearth holds it and `ledger_too_new` for a newer Hearth's file; a damaged file is
 * moved aside and reported in `recovery`.
 */
export function openLedger(options: { path: string; clock: Clock; logger?: Logger }): Ledger {
  const { clock, logger } = options;
  const { db, lock, recovery } = openDatabase(options);
  const transaction = createTransaction(db);
  let closed = false;
  const ledger: Ledger = {
    recovery,
    ...createJobs({ db, clock, logger, transaction }),
    ...createList({ db, logger }),
    ...createTxs({ db, clock }),
    ...createPayments({ db, transaction }),
    ...createEarnings({ db }),
    ...createCursors({ db }),
    ...createTelemetry({ db, clock, transaction }),
    ...createPositions({ db }),
    transaction,
    close() {
      if (closed) return;
      closed = true;
      try {
        db.close();
      } finally {
        lock.release();
      }
    },
  };
  return reportingDiskFull(ledger, options.path);
}

/**
 * SQLite says only "database or disk is full". Every call that hits a full disk (SQLite has
 * already rolled its transaction back, so the ledger is as it was) gets a sentence a person can
 * act on instead, which the market status and the call's error show.
 */
function reportingDiskFull(ledger: Ledger, path: string): Ledger {
  const wrapped: Record<string, unknown> = { ...ledger };
  for (const [name, value] of Object.entries(ledger)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch (error) {
        if (isDiskFull(error) && !isHearthError(error)) {
          throw diskFullError('the latest change to the job history', dirname(path), error);
        }
        throw error;
      }
    };
  }
  return wrapped as unknown as Ledger;
}
