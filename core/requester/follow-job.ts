import type { EventLog, Log } from 'ethers';
import { jobStatusName, type JobStatus } from '../../common/contracts/market.ts';
import { HearthError } from '../../common/errors.ts';
import type { JsonTensor } from '../../common/market/job-format.ts';
import type { ResolvedModel } from '../models/store.ts';
import { systemClock } from '../node-ports.ts';
import type { Clock } from '../ports.ts';
import type { Arbiter, DisputeEvidence, Ruling } from './arbiter.ts';
import type { RequesterChain } from './chain.ts';
import { readUint, revertName } from './chain.ts';
import { judgeDelivery, type Verdict } from './judge.ts';
import type { ModelRunner } from './model-runner.ts';
import type { PostedJob } from './post-job.ts';

/** One thing that happened to a job, for progress lines and the simulator's log. */
export interface RequesterEvent {
  type: 'claimed' | 'delivered' | 'committed' | 'verified' | 'rejected' | 'settling' | 'disputed' | 'resolved' | 'expiring' | 'warning';
  jobId: string;
  classLabel: string;
  [field: string]: unknown;
}

/** How a job ended, from the requester's side. Amounts in token wei. */
export interface JobOutcome {
  jobId: string;
  classLabel: string;
  market: string;
  status: 'settled' | 'disputed' | 'expired' | 'cancelled';
  provider: string | null;
  pricePerUnit: bigint | null;
  /** What the job cost (units x price), 0 when nobody was paid. */
  paid: bigint;
  /** What came back to the requester: unused escrow, or escrow + bond after a won dispute. */
  refund: bigint;
  /** True only when a delivery was checked against an independent run and the commit. */
  verified: boolean;
  /** Why the result was rejected, the job expired, or could not be verified. */
  reason: string | null;
  ruling: Ruling | null;
  resultHash: string | null;
  /** Who sent the settling transaction: this requester or someone else (usually the provider). */
  settledBy: 'requester' | 'other' | null;
  /** Missed-deadline penalty slashed from a claimant that never committed. */
  penalty: bigint;
}

export interface FollowJobOptions {
  chain: RequesterChain;
  job: PostedJob;
  /** Runs the model independently to check deliveries. */
  runner: ModelRunner;
  /** The model to check with (default: the job's catalog id). */
  model?: string | ResolvedModel;
  /** Resolves disputes in-process (the demo arbiter); without one a dispute ends the follow. */
  arbiter?: Arbiter;
  /** Misbehaviour for tests: never settle, so the provider must. */
  noSettle?: boolean;
  /** Dispute a missing delivery this long before the window closes (default 1.5 s). */
  disputeMarginMs?: number;
  pollMs?: number;
  clock?: Clock;
  onEvent?: (event: RequesterEvent) => void;
  signal?: AbortSignal;
}

/**
 * Follows a posted job to its end: checks the claimant's delivery (signature, hash, an
 * independent run of the model) and the committed hash, then settles after the window
 * or disputes within it; expires the job when nobody delivers by the deadline.
 * Settling is left to whoever comes first: "already settled" is success.
 */
export async function followJob(options: FollowJobOptions): Promise<JobOutcome> {
  const { chain, job } = options;
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 300;
  const market = chain.market(job.classLabel).contract;
  const jobId = job.jobId;
  const base = { jobId: jobId.toString(), classLabel: job.classLabel };
  const emit = (type: RequesterEvent['type'], fields: Record<string, unknown> = {}): void => options.onEvent?.({ type, ...base, ...fields });
  const bound = { chainId: job.chainId, market: job.market, jobId: jobId.toString() };

  // Start our own run now, so the answer is ready when the delivery arrives.
  const expected: Promise<Record<string, JsonTensor>> = options.runner.run(options.model ?? job.modelId, job.document.inputs);
  expected.catch(() => undefined);

  let claimant: string | undefined;
  let price: bigint | undefined;
  let commit: { resultHash: string; windowEnd: number } | undefined;
  let verdict: Verdict | undefined;
  let unverified: string | undefined;
  let bond = 0n;
  let ruling: Ruling | null = null;
  let failures = 0;

  const events = async (name: string): Promise<EventLog[]> => {
    const filter = market.filters[name]!(jobId);
    const logs: (EventLog | Log)[] = await market.queryFilter(filter, job.postedBlock);
    return logs.filter((l): l is EventLog => 'args' in l);
  };
  // The delivery check and the poll loop both ask; one read at a time, so 'claimed' is emitted once.
  let claimRead: Promise<string | undefined> | undefined;
  const readClaim = (): Promise<string | undefined> => {
    if (claimant) return Promise.resolve(claimant);
    claimRead ??= (async () => {
      try {
        const [claimed] = await events('JobClaimed');
        if (!claimed) return undefined;
        claimant = claimed.args.getValue('provider') as string;
        price = BigInt(claimed.args.getValue('pricePerUnit') as bigint);
        emit('claimed', { provider: claimant, pricePerUnit: price.toString() });
        return claimant;
      } finally {
        claimRead = undefined;
      }
    })();
    return claimRead;
  };
  job.hosted.authorize(async (provider) => (await readClaim())?.toLowerCase() === provider.toLowerCase());
  job.hosted.onDelivery((d) => emit('delivered', { provider: d.provider, resultHash: d.resultHash }));

  const attempt = async (what: string, call: () => Promise<unknown>): Promise<void> => {
    try {
      await call();
    } catch (error) {
      // A revert here is usually a race (someone settled first, the window is not over in
      // block time yet): the next poll reads the state again. Only a run of them is fatal.
      failures++;
      const name = revertName(error);
      if (failures > 40) throw new HearthError('requester_stuck', `Could not ${what} job ${jobId}: ${name ?? (error instanceof Error ? error.message : String(error))}`);
      if (name !== 'ChallengeWindowOpen' && name !== 'DeadlineNotPassed') emit('warning', { action: what, error: name ?? (error instanceof Error ? error.message.slice(0, 200) : String(error)) });
    }
  };

  const evidence = (): DisputeEvidence => ({
    classLabel: job.classLabel,
    chainId: job.chainId,
    market: job.market,
    jobId,
    terms: job.terms,
    resultHash: commit!.resultHash,
    claimant: claimant!,
    modelId: job.modelId,
    inputs: job.document.inputs,
    delivery: job.hosted.deliveryFrom(claimant!) ?? null,
  });

  const outcome = (status: JobOutcome['status'], fields: Partial<JobOutcome>): JobOutcome => ({
    jobId: jobId.toString(),
    classLabel: job.classLabel,
    market: job.market,
    status,
    provider: claimant ?? null,
    pricePerUnit: price ?? null,
    paid: 0n,
    refund: 0n,
    verified: verdict?.ok === true && unverified === undefined,
    reason: verdict && !verdict.ok ? verdict.reason : (unverified ?? null),
    ruling,
    resultHash: commit?.resultHash ?? null,
    settledBy: null,
    penalty: 0n,
    ...fields,
  });

  try {
    for (;;) {
      if (options.signal?.aborted) throw new HearthError('cancelled', `Stopped following job ${jobId}.`);
      const state = (await market.getFunction('jobState')(jobId)) as unknown as { status: bigint };
      const status: JobStatus = jobStatusName(state.status);
      const nowMs = clock.now();
      const deadline = Number(job.terms.deadline);
      const deadlineMs = deadline * 1000;
      switch (status) {
        case 'Open':
          // expire() on an open job needs block.timestamp >= deadline; on a claimed one, past it.
          if (nowMs >= deadlineMs && (await chain.time.passed(deadline))) {
            emit('expiring', { reason: 'nobody claimed the job before its deadline' });
            await attempt('expire', () => chain.send(() => market.getFunction('expire')(jobId, job.terms)));
          }
          break;
        case 'Claimed':
          await readClaim();
          if (nowMs >= deadlineMs + 1000 && (await chain.time.passed(deadline + 1))) {
            emit('expiring', { reason: 'the claimant committed no result by the deadline' });
            await attempt('expire', () => chain.send(() => market.getFunction('expire')(jobId, job.terms)));
          }
          break;
        case 'Committed': {
          await readClaim();
          if (!commit) {
            const [committed] = await events('JobCommitted');
            if (!committed) break;
            commit = { resultHash: (committed.args.getValue('resultHash') as string).toLowerCase(), windowEnd: Number(committed.args.getValue('windowEnd') as bigint) };
            emit('committed', { resultHash: commit.resultHash, windowEnd: commit.windowEnd });
          }
          const delivery = claimant ? job.hosted.deliveryFrom(claimant) : undefined;
          if (delivery && !verdict) verdict = await judge(delivery);
          const windowEndMs = commit.windowEnd * 1000;
          if (!verdict && nowMs >= windowEndMs - (options.disputeMarginMs ?? 1500)) {
            verdict = { ok: false, reason: 'no result was delivered before the challenge window closed' };
            emit('rejected', { reason: verdict.reason });
          }
          // Open by the wall clock (the next block's time) and by the latest block (a chain
          // ahead of the wall clock); the contract refuses a dispute at or past windowEnd.
          const windowOpen = nowMs < windowEndMs && (await chain.time.latest()) < commit.windowEnd;
          if (verdict && !verdict.ok && bond === 0n && windowOpen) {
            await attempt('dispute', async () => {
              // The bond grows with the job (at least disputeBond, disputeBondBps of its value).
              const needed = await readUint(market, 'disputeBondFor', job.terms.units, price ?? job.terms.maxPricePerUnit);
              const allowance = await readUint(chain.token, 'allowance', chain.address, job.market);
              if (allowance < needed) await chain.send(() => chain.token.getFunction('approve')(job.market, allowance + needed));
              await chain.send(() => market.getFunction('dispute')(jobId, job.terms, commit!.resultHash));
              bond = needed === 0n ? 1n : needed; // 1 wei marks "disputed" when the market asks no bond
              emit('disputed', { reason: verdict && !verdict.ok ? verdict.reason : '', bond: needed.toString() });
            });
          } else if (bond === 0n && !windowOpen && !options.noSettle && (await chain.time.passed(commit.windowEnd))) {
            // Verified, or the window closed before a dispute got in: the job must still end.
            emit('settling');
            await attempt('settle', () => chain.send(() => market.getFunction('settle')(jobId, job.terms, commit!.resultHash)));
          }
          break;
        }
        case 'Disputed':
          if (!options.arbiter) return outcome('disputed', {});
          if (!ruling && commit && claimant) {
            ruling = await options.arbiter.resolve(evidence());
            emit('resolved', { providerAtFault: ruling.providerAtFault, slashed: ruling.slashed.toString(), reason: ruling.reason });
          }
          break;
        case 'Settled': {
          await readClaim();
          const [settled] = await events('JobSettled');
          const paid = settled ? BigInt(settled.args.getValue('providerAmount') as bigint) + BigInt(settled.args.getValue('fee') as bigint) : 0n;
          const refund = settled ? BigInt(settled.args.getValue('refund') as bigint) : 0n;
          let settledBy: JobOutcome['settledBy'] = null;
          if (settled) {
            const tx = await chain.provider.getTransaction(settled.transactionHash);
            settledBy = tx?.from.toLowerCase() === chain.address.toLowerCase() ? 'requester' : 'other';
          }
          return outcome(ruling ? 'disputed' : 'settled', { paid, refund, settledBy });
        }
        case 'Faulted': {
          const bondBack = bond > 1n ? bond : 0n;
          return outcome('disputed', { refund: job.escrow + bondBack });
        }
        case 'Expired': {
          const [expired] = await events('JobExpired');
          const refund = expired ? BigInt(expired.args.getValue('refund') as bigint) : job.escrow;
          const penalty = expired ? BigInt(expired.args.getValue('penalty') as bigint) : 0n;
          return outcome('expired', { refund, penalty, reason: claimant ? 'the claimant committed no result by the deadline' : 'nobody claimed the job before its deadline' });
        }
        case 'Cancelled':
          return outcome('cancelled', { refund: job.escrow });
      }
      await sleep(clock, pollMs);
    }
  } finally {
    job.hosted.close();
  }

  async function judge(delivery: NonNullable<DisputeEvidence['delivery']>): Promise<Verdict> {
    let mine: Record<string, JsonTensor>;
    try {
      mine = await expected;
    } catch (error) {
      // Without our own run only the signature and hashes can be checked; never dispute
      // (and risk the bond) on the strength of our own failure.
      unverified = `could not run the model to check the result: ${error instanceof Error ? error.message : String(error)}`;
      emit('warning', { action: 'verify', error: unverified });
      mine = delivery.outputs;
    }
    const v = judgeDelivery({ delivery, job: bound, claimant: claimant!, committedResultHash: commit!.resultHash, expected: mine });
    emit(v.ok ? 'verified' : 'rejected', v.ok ? { resultHash: delivery.resultHash } : { reason: v.reason });
    return v;
  }
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}
