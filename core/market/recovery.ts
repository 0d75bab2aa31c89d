/**
 * Setting unfinished jobs from what the chain says: after a restart (any state a crash could
 * leave), and on every tick for claims and commits whose sending failed (the node may have
 * taken them although the answer was lost). Settled, expired and faulted jobs reach the
 * ledger through the followed events instead, with their amounts.
 */
import { JOB_STATUS } from '../../common/contracts/market.ts';
import type { MarketJobState } from '../../common/ipc/groups/market.ts';
import type { RpcClient } from '../chain/rpc.ts';
import type { Ledger } from '../ledger/index.ts';
import { readJobState } from './chain-reads.ts';
import { claimLabel } from './runner.ts';

export const UNFINISHED: MarketJobState[] = ['fetching', 'claiming', 'claimed', 'running', 'delivering', 'committing', 'committed', 'settling', 'disputed'];

export interface SyncQuery {
  ledger: Ledger;
  rpc: RpcClient;
  chainId: number;
  /** Our provider id on this chain (undefined before registering). */
  providerId: number | undefined;
  states: MarketJobState[];
  /** The job running now, left to its runner. */
  skipKey?: string;
  /** Labels of our transactions still pending in the transaction manager. */
  pendingLabels: ReadonlySet<string>;
}

/** Moves each job in `states` to the state its on-chain status implies. */
export async function syncJobsWithChain(q: SyncQuery): Promise<void> {
  const { ledger } = q;
  for (const job of ledger.jobsIn(q.states, q.chainId)) {
    if (job.key === q.skipKey) continue;
    const st = await readJobState(q.rpc, job.market, BigInt(job.jobId));
    const status = JOB_STATUS[st.status] ?? 'Open';
    const ours = q.providerId !== undefined && st.providerId === q.providerId;
    if (status === 'Open') {
      if (job.state === 'fetching') ledger.transition(job.key, 'seen', 'Hearth restarted while fetching; it will fetch again.');
      else if (!q.pendingLabels.has(claimLabel(job))) ledger.transition(job.key, 'seen', 'Hearth restarted before its claim landed; the job is still open.');
    } else if (status === 'Claimed' && ours) {
      if (job.state !== 'claimed') ledger.transition(job.key, 'claimed', 'Hearth restarted mid-job; the job will run again while the deadline allows.');
    } else if (status === 'Committed' && ours) {
      if (job.state !== 'committed') ledger.transition(job.key, 'committed', 'The commit landed before the restart; waiting for the window to settle.');
    } else if (status === 'Disputed' && ours) {
      if (job.state !== 'disputed') ledger.transition(job.key, 'disputed', 'The requester disputed the result.');
    } else if (!ours && status !== 'Settled' && status !== 'Expired' && status !== 'Faulted') {
      ledger.transition(job.key, 'abandoned', `The chain shows the job ${status.toLowerCase()} by someone else.`);
    }
  }
}
