/** Transactions over one connection: BEGIN IMMEDIATE at the outside, savepoints inside. */
import type { DatabaseSync } from 'node:sqlite';
import { HearthError } from '../../common/errors.ts';

/** Runs a function atomically; nested calls become savepoints of the outer transaction. */
export type RunInTransaction = <T>(fn: () => T) => T;

/** A transaction runner for `db`. `fn` must be synchronous: a returned promise is refused and rolled back. */
export function createTransaction(db: DatabaseSync): RunInTransaction {
  let depth = 0;
  // SQLite rolls the whole transaction back by itself on some errors (SQLITE_FULL: a full disk,
  // SQLITE_IOERR, SQLITE_NOMEM). Rolling back again would throw "no transaction is active" and hide
  // the real error, so roll back only what is still open, and never let the roll-back replace it.
  const rollback = (savepoint: string, outer: boolean): void => {
    if (!db.isTransaction) return;
    try {
      db.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
    } catch {
      // The savepoint went with an automatic roll-back; the error that caused it is the one to report.
    }
  };
  return <T>(fn: () => T): T => {
    const savepoint = `ledger_${depth}`;
    db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    depth += 1;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) {
        throw new HearthError('ledger_async_transaction', 'A ledger transaction must be synchronous; it was rolled back.');
      }
    } catch (error) {
      depth -= 1;
      rollback(savepoint, depth === 0);
      throw error;
    }
    depth -= 1;
    try {
      db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
    } catch (error) {
      // A failed COMMIT (a full disk) may leave the transaction open: close it, or every later write fails.
      if (depth === 0) rollback(savepoint, true);
      throw error;
    }
    return result;
  };
}
