import type { Deployment } from '../../common/contracts/addresses.ts';
import type { JobTerms } from '../../common/contracts/market.ts';
import { jobStatusName } from '../../common/contracts/market.ts';
import type { JsonTensor, ResultDelivery } from '../../common/market/job-format.ts';
import { connectRequesterChain, readUint, type RequesterChain } from './chain.ts';
import { judgeDelivery, type Verdict } from './judge.ts';
import type { ModelRunner } from './model-runner.ts';

/** What a requester hands the arbiter about a disputed job: the terms and what it received. */
export interface DisputeEvidence {
  classLabel: string;
  chainId: number;
  market: string;
  jobId: bigint;
  terms: JobTerms;
  /** The hash the provider committed on-chain. */
  resultHash: string;
  claimant: string;
  modelId: string;
  inputs: Record<string, JsonTensor>;
  /** The claimant's delivery as the requester received it; null when none arrived. */
  delivery: ResultDelivery | null;
}

/** The arbiter's decision, as executed on-chain. */
export interface Ruling {
  providerAtFault: boolean;
  slashed: bigint;
  reason: string;
}

/** A demo arbiter: re-checks the evidence itself and resolves disputes on-chain. */
export interface Arbiter {
  resolve(evidence: DisputeEvidence): Promise<Ruling>;
  close(): void;
}

/**
 * Starts a demo arbiter holding the market's ARBITER role key (dev account 0 on the
 * devnet). It trusts nothing the requester concluded: it re-verifies the delivery and
 * re-runs the model. No delivery means the provider is at fault. At fault, it slashes
 * the market's missPenalty.
 */
export async function createArbiter(options: { rpcUrl: string; deployment: Deployment; arbiterKey: string; runner: ModelRunner }): Promise<Arbiter> {
  const chain: RequesterChain = await connectRequesterChain(options.rpcUrl, options.deployment, options.arbiterKey);
  return {
    async resolve(evidence) {
      const market = chain.market(evidence.classLabel).contract;
      let verdict: Verdict;
      if (!evidence.delivery) {
        verdict = { ok: false, reason: 'no result was delivered' };
      } else {
        const expected = await options.runner.run(evidence.modelId, evidence.inputs);
        verdict = judgeDelivery({
          delivery: evidence.delivery,
          job: { chainId: evidence.chainId, market: evidence.market, jobId: evidence.jobId.toString() },
          claimant: evidence.claimant,
          committedResultHash: evidence.resultHash,
          expected,
        });
      }
      const atFault = !verdict.ok;
      const slash = atFault ? await readUint(market, 'missPenalty') : 0n;
      const receipt = await chain.send(() => market.getFunction('resolveDispute')(evidence.jobId, evidence.terms, evidence.resultHash, atFault, slash));
      let slashed = 0n;
      for (const log of receipt.logs) {
        try {
          const parsed = market.interface.parseLog(log as { topics: string[]; data: string });
          if (parsed?.name === 'DisputeResolved') slashed = BigInt(parsed.args.getValue('slashed') as bigint);
        } catch {
          // another contract's log
        }
      }
      const state = (await market.getFunction('jobState')(evidence.jobId)) as unknown as { status: bigint };
      const status = jobStatusName(state.status);
      return { providerAtFault: atFault, slashed, reason: verdict.ok ? `the result checks out (job ${status})` : verdict.reason };
    },
    close: () => chain.close(),
  };
}
