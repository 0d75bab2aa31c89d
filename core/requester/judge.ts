import { outputsAgree, verifyDelivery, type JsonTensor, type ResultDelivery } from '../../common/market/job-format.ts';
import { nodeHashing } from '../market/result-hash.ts';
import type { BoundJob } from './job-server.ts';

/** Whether a job's result is right, and if not, a sentence saying why. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Judges a provider's work: a delivery exists, is signed by the claimant, is for this
 * job, hashes to what was committed on-chain (when committed), and its outputs agree
 * with an independent run of the same model on the same input.
 */
export function judgeDelivery(input: {
  delivery: ResultDelivery | undefined;
  job: BoundJob;
  claimant: string;
  committedResultHash: string | undefined;
  expected: Record<string, JsonTensor>;
  tolerance?: number;
}): Verdict {
  const { delivery, job } = input;
  if (!delivery) return { ok: false, reason: 'no result was delivered' };
  if (delivery.provider.toLowerCase() !== input.claimant.toLowerCase()) return { ok: false, reason: `the delivery is from ${delivery.provider}, not the claimant ${input.claimant}` };
  if (delivery.chainId !== job.chainId || delivery.market.toLowerCase() !== job.market.toLowerCase() || delivery.jobId !== job.jobId) {
    return { ok: false, reason: 'the delivery names another job' };
  }
  const signed = verifyDelivery(delivery, nodeHashing);
  if (!signed.ok) return signed;
  if (input.committedResultHash !== undefined && input.committedResultHash.toLowerCase() !== delivery.resultHash.toLowerCase()) {
    return { ok: false, reason: `the committed hash ${input.committedResultHash} is not the delivered ${delivery.resultHash}` };
  }
  const agree = outputsAgree(input.expected, delivery.outputs, input.tolerance);
  if (!agree.ok) return { ok: false, reason: `the outputs disagree with an independent run: ${agree.reason}` };
  return { ok: true };
}
