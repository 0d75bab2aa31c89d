import type { Logger } from '../ports.ts';
import { RpcError, type RpcClient } from './rpc.ts';
import type { StoredTx } from './tx-journal.ts';

/**
 * The local devnet keeps its state in memory, so each start is a fresh chain. To make a
 * restart look like nothing happened, the journal's devnet transactions are re-sent in
 * their original order, with the original time gaps, on the fresh chain (after the
 * deterministic protocol deployment, which recreates the same contract addresses).
 * The signed bytes are replayed unchanged: same nonces, so nothing is sent twice.
 */
export async function replayDevnetJournal(rpc: RpcClient, txs: readonly StoredTx[], networkId: string, logger: Logger): Promise<number> {
  const replayable = txs
    .filter((tx) => tx.networkId === networkId && tx.status !== 'dropped' && (tx.broadcast || tx.status === 'pending'))
    .sort((a, b) => a.createdAt - b.createdAt);
  let replayed = 0;
  let previous: number | undefined;
  for (const tx of replayable) {
    const attempt = tx.attempts.find((a) => a.hash === tx.includedHash) ?? tx.attempts.at(-1)!;
    try {
      if (previous !== undefined && tx.createdAt > previous) {
        await rpc.request('evm_increaseTime', [Math.floor((tx.createdAt - previous) / 1000)]);
      }
      await rpc.request('eth_sendRawTransaction', [attempt.raw]);
      replayed++;
    } catch (error) {
      // A failed replay (e.g. a fee below the fresh chain's) is reported, not fatal.
      logger.warn('devnet restore: a transaction could not be replayed', {
        id: tx.id,
        error: error instanceof RpcError || error instanceof Error ? error.message : String(error),
      });
    }
    previous = tx.createdAt;
  }
  return replayed;
}
