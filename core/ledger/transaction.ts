/** Transactions over one connection: BEGIN IMMEDIATE at the outside, savepoints inside. */
import type { DatabaseSync } from 'node:sqlite';
import { HearthError } from '../../common/errors.ts';

/** Runs a function atomically; nested calls become savepoints of the outer transaction. */
export type RunInTransaction = <T>(fn: () => T) => T;

/** A transaction runner for `db`. `fn` must be synchronous: a returned promise is refused and rolled back. */
export function createTransaction(db: DatabaseSync): RunInTransaction {
  let depth = 0;
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
      db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    }
    depth -= 1;
    db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
    return result;
  };
}
