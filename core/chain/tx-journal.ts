import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { txStatus } from '../../common/ipc/groups/chain.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const uint = z.string().regex(/^\d+$/);

/** One signed broadcast for a nonce; a speed-up or cancel adds another. */
export const txAttempt = z.object({
  hash: hex,
  /** The signed transaction: public once broadcast, kept so it can be re-sent after a crash. */
  raw: hex,
  to: z.string(),
  valueWei: uint,
  data: hex,
  gasLimit: uint,
  maxFeePerGas: uint,
  maxPriorityFeePerGas: uint,
  createdAt: z.number().int(),
});
export type TxAttempt = z.infer<typeof txAttempt>;

export const storedTx = z.object({
  id: z.string(),
  chainId: z.number().int(),
  networkId: z.string(),
  from: z.string(),
  nonce: z.number().int().nonnegative(),
  label: z.string(),
  status: txStatus,
  attempts: z.array(txAttempt).min(1),
  includedHash: hex.nullable(),
  blockNumber: z.number().int().nullable(),
  confirmations: z.number().int().nonnegative(),
  /** False until a node accepted one of the attempts (true after "already known" too). */
  broadcast: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  error: z.string().nullable(),
});
export type StoredTx = z.infer<typeof storedTx>;

const journalShape = z.object({ version: z.literal(1), txs: z.array(storedTx) });

/** Finished records kept for history; pending ones are never trimmed. */
const KEEP_FINISHED = 500;

/**
 * The transaction journal: every transaction is written here, signed, *before* it is
 * broadcast, so a crash at any point can be resumed by re-sending the same signed bytes
 * (same nonce, so it can never be sent twice). Atomic writes, serialised.
 */
export class TxJournal {
  private txs: StoredTx[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly path: string) {}

  /** Loads the journal; an unreadable file is kept aside and reported, never silently dropped. */
  static async open(path: string, now: () => number, warn: (message: string) => void): Promise<TxJournal> {
    const journal = new TxJournal(path);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      try {
        journal.txs = journalShape.parse(JSON.parse(text)).txs;
      } catch (error) {
        const aside = `${path}.bad-${now()}`;
        await rename(path, aside);
        warn(`The transaction journal could not be read (${String(error)}); it was kept as ${aside}.`);
      }
    }
    return journal;
  }

  all(): readonly StoredTx[] {
    return this.txs;
  }

  get(id: string): StoredTx | undefined {
    return this.txs.find((tx) => tx.id === id);
  }

  /**
   * Adds or replaces a record and persists the whole journal before resolving. The record is
   * only kept in memory once it is on disk: a failed write (a full disk) must not leave a
   * transaction the caller was told failed, which the resend loop would broadcast later.
   */
  put(tx: StoredTx): Promise<void> {
    const run = async (): Promise<void> => {
      let next = [...this.txs];
      const index = next.findIndex((t) => t.id === tx.id);
      if (index >= 0) next[index] = tx;
      else next.push(tx);
      const finished = next.filter((t) => t.status !== 'pending');
      if (finished.length > KEEP_FINISHED) {
        const drop = new Set(finished.slice(0, finished.length - KEEP_FINISHED).map((t) => t.id));
        next = next.filter((t) => !drop.has(t.id));
      }
      await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, txs: next })}\n`, 0o600, 'the transaction journal');
      this.txs = next;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
