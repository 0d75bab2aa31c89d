/** Transactions Hearth sent, per job or not: recorded once by hash, then updated as they confirm. */
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { HearthError } from '../../common/errors.ts';
import { baseUnits } from '../../common/ipc/groups/chain.ts';
import type { Clock } from '../ports.ts';
import type { Ledger } from './types.ts';

const txSchema = z.object({
  hash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  jobKey: z.string().nullable(),
  label: z.string().min(1),
  status: z.enum(['pending', 'confirmed', 'failed']),
  gasUsed: baseUnits.nullish(),
  gasWei: baseUnits.nullish(),
  blockNumber: z.number().int().nonnegative().nullish(),
  at: z.number().int().optional(),
  chainId: z.number().int().nonnegative().nullish(),
});

/** The transaction part of the ledger. */
export function createTxs(deps: { db: DatabaseSync; clock: Clock }) {
  const { db, clock } = deps;
  // A later call fills in what it knows and keeps what it does not (a receipt's gas outlives a status-only update).
  const upsert = db.prepare(`INSERT INTO txs (hash, job_key, chain_id, label, status, gas_used, gas_wei, block_number, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (hash) DO UPDATE SET
      job_key = coalesce(excluded.job_key, job_key),
      chain_id = coalesce(excluded.chain_id, chain_id),
      label = excluded.label,
      status = excluded.status,
      gas_used = coalesce(excluded.gas_used, gas_used),
      gas_wei = coalesce(excluded.gas_wei, gas_wei),
      block_number = coalesce(excluded.block_number, block_number)`);

  const recordTx: Ledger['recordTx'] = (tx) => {
    const parsed = txSchema.safeParse(tx);
    if (!parsed.success) {
      throw new HearthError(
        'ledger_invalid',
        `A transaction to record is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    const t = parsed.data;
    try {
      upsert.run(
        t.hash.toLowerCase(),
        t.jobKey,
        t.chainId ?? null,
        t.label,
        t.status,
        t.gasUsed ?? null,
        t.gasWei ?? null,
        t.blockNumber ?? null,
        t.at ?? clock.now(),
      );
    } catch (error) {
      if ((error as { errcode?: number }).errcode === 787 /* SQLITE_CONSTRAINT_FOREIGNKEY */) {
        throw new HearthError('ledger_unknown_job', `The job history has no job ${String(t.jobKey)} for transaction ${t.hash}.`);
      }
      throw error;
    }
  };

  return { recordTx };
}
