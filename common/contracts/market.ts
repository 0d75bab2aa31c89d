import { AbiCoder, keccak256 } from 'ethers';

/** JobMarket.Status, by its on-chain number. */
export const JOB_STATUS = ['Open', 'Claimed', 'Committed', 'Disputed', 'Settled', 'Cancelled', 'Expired', 'Faulted'] as const;
export type JobStatus = (typeof JOB_STATUS)[number];

/**
 * The immutable terms of a job (JobMarket.JobTerms). The market stores only their hash,
 * so every call about a job passes them; read them from the JobPosted event.
 */
export interface JobTerms {
  requester: string;
  units: bigint;
  maxPricePerUnit: bigint;
  deadline: bigint;
}

const TERMS_TYPE = 'tuple(address requester, uint32 units, uint96 maxPricePerUnit, uint40 deadline)';

/** Same value as JobMarket.termsHash(terms): what `jobHash(id)` holds before commit. */
export function termsHash(terms: JobTerms): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode([TERMS_TYPE], [terms]));
}

/** Same value as JobMarket.committedHash: what `jobHash(id)` holds after commit. */
export function committedHash(terms: JobTerms, resultHash: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32', 'bytes32'], [termsHash(terms), resultHash]));
}

/** Terms from a decoded JobPosted event's arguments. */
export function termsFromJobPosted(args: { requester: string; units: bigint; maxPricePerUnit: bigint; deadline: bigint }): JobTerms {
  return {
    requester: args.requester,
    units: BigInt(args.units),
    maxPricePerUnit: BigInt(args.maxPricePerUnit),
    deadline: BigInt(args.deadline),
  };
}

/** Status name for JobMarket.jobState(id).status. */
export function jobStatusName(status: bigint | number): JobStatus {
  const name = JOB_STATUS[Number(status)];
  if (!name) throw new RangeError(`unknown job status ${status}`);
  return name;
}
