/** Payments to us (JobSettled), and the sums the status line shows. */
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { HearthError } from '../../common/errors.ts';
import { addressText, baseUnits } from '../../common/ipc/groups/chain.ts';
import type { RunInTransaction } from './transaction.ts';
import type { Ledger } from './types.ts';
import { afterFee } from './wei.ts';

const paymentSchema = z.object({
  jobKey: z.string().min(1),
  chainId: z.number().int().nonnegative(),
  provider: addressText,
  amountWei: baseUnits,
  feeWei: baseUnits,
  blockNumber: z.number().int().nonnegative(),
  txHash: z.string().min(1),
  at: z.number().int(),
});

interface PaymentRow {
  chain_id: number;
  provider: string;
  amount_wei: string;
  fee_wei: string;
  block_number: number;
  tx_hash: string;
  at: number;
}

/** States where our result is committed and the payment not yet settled. */
const PENDING_STATES = `('committed', 'settling')`;

/** The payment part of the ledger. */
export function createPayments(deps: { db: DatabaseSync; transaction: RunInTransaction }) {
  const { db, transaction } = deps;
  const selectPayment = db.prepare(
    'SELECT chain_id, provider, amount_wei, fee_wei, block_number, tx_hash, at FROM payments WHERE job_key = ?',
  );
  const jobExists = db.prepare('SELECT 1 AS one FROM jobs WHERE key = ?');
  const insertPayment = db.prepare(`INSERT INTO payments (job_key, chain_id, provider, amount_wei, fee_wei, block_number, tx_hash, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const setEarned = db.prepare('UPDATE jobs SET earned_wei = ?, fee_wei = ?, provider = coalesce(provider, ?) WHERE key = ?');
  const selectMine = db.prepare(
    'SELECT job_key AS jobKey, amount_wei AS amountWei, block_number AS blockNumber, tx_hash AS txHash, at FROM payments WHERE chain_id = ? AND provider = ? ORDER BY block_number, job_key',
  );
  const selectPending = db.prepare(`SELECT units, coalesce(price_wei, max_price_wei) AS price FROM jobs
    WHERE chain_id = ? AND state IN ${PENDING_STATES} AND (provider IS NULL OR provider = ?)`);

  const recordPayment: Ledger['recordPayment'] = (p) => {
    const parsed = paymentSchema.safeParse(p);
    if (!parsed.success) {
      throw new HearthError(
        'ledger_invalid',
        `A payment to record is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    const v = { ...parsed.data, provider: parsed.data.provider.toLowerCase(), txHash: parsed.data.txHash.toLowerCase() };
    return transaction(() => {
      const existing = selectPayment.get(v.jobKey) as PaymentRow | undefined;
      if (existing) {
        const same =
          existing.chain_id === v.chainId &&
          existing.provider === v.provider &&
          existing.amount_wei === v.amountWei &&
          existing.fee_wei === v.feeWei &&
          existing.block_number === v.blockNumber &&
          existing.tx_hash === v.txHash;
        if (same) return false;
        throw new HearthError(
          'ledger_payment_conflict',
          `Job ${v.jobKey} already has a different payment recorded (tx ${existing.tx_hash}).`,
        );
      }
      if (!jobExists.get(v.jobKey))
        throw new HearthError('ledger_unknown_job', `The job history has no job ${v.jobKey} for the payment in ${v.txHash}.`);
      insertPayment.run(v.jobKey, v.chainId, v.provider, v.amountWei, v.feeWei, v.blockNumber, v.txHash, v.at);
      setEarned.run(v.amountWei, v.feeWei, v.provider, v.jobKey);
      return true;
    });
  };

  const payments: Ledger['payments'] = (q) => {
    const rows = selectMine.all(q.chainId, q.provider.toLowerCase()) as unknown as {
      jobKey: string;
      amountWei: string;
      blockNumber: number;
      txHash: string;
    }[];
    return rows.map(({ jobKey, amountWei, blockNumber, txHash }) => ({ jobKey, amountWei, blockNumber, txHash }));
  };

  const totals: Ledger['totals'] = (q) => {
    const provider = q.provider.toLowerCase();
    let jobsPaid = 0;
    let earned = 0n;
    let lastPaymentAt: number | null = null;
    for (const row of selectMine.iterate(q.chainId, provider) as Iterable<{ amountWei: string; at: number }>) {
      jobsPaid += 1;
      earned += BigInt(row.amountWei);
      lastPaymentAt = Math.max(lastPaymentAt ?? row.at, row.at);
    }
    let pending = 0n;
    for (const row of selectPending.all(q.chainId, provider) as unknown as { units: number; price: string }[]) {
      pending += afterFee(BigInt(row.units) * BigInt(row.price), q.feeBps);
    }
    return { jobsPaid, earnedWei: earned.toString(), pendingWei: pending.toString(), lastPaymentAt };
  };

  return { recordPayment, payments, totals };
}
