import { MaxUint256, type EventLog } from 'ethers';
import type { Deployment } from '../../../common/contracts/addresses.ts';
import { termsFromJobPosted, type JobTerms } from '../../../common/contracts/market.ts';
import { classIdOf } from '../../../common/contracts/params.ts';
import { JOB_FORMAT_VERSION, deliveryMessage, hashBytes, jobInputDocument, resultHashOf, tensorBytes, toJsonTensor, type JsonTensor, type ResultDelivery } from '../../../common/market/job-format.ts';
import { connectRequesterChain, type RequesterChain } from '../chain.ts';
import type { ModelRunner } from '../model-runner.ts';

export type ProviderMode = 'honest' | 'wrong-outputs' | 'no-delivery' | 'hash-mismatch';

/** What the scripted provider saw and did for one job. */
export interface ProviderRun {
  terms: JobTerms;
  inputUri: string;
  inputHash: string;
  /** sha256 of the bytes fetched from inputUri, or null when they could not be fetched. */
  fetchedHash: string | null;
  fetchError: string | null;
  committed: string | null;
  deliveryStatus: number | null;
}

/**
 * A provider driven step by step by a test, with plain ethers on a dev account: claims,
 * fetches, runs (through the shared model runner), delivers right or deliberately wrong
 * results, and commits. It is not Hearth's market agent, so the requester is tested
 * against the protocol, not against our own provider.
 */
export async function scriptedProvider(options: { rpcUrl: string; deployment: Deployment; key: string; classLabel: string; runner: ModelRunner; stake: bigint }) {
  const chain: RequesterChain = await connectRequesterChain(options.rpcUrl, options.deployment, options.key);
  const classId = classIdOf(options.classLabel);
  const market = chain.market(options.classLabel).contract;
  await chain.send(() => chain.faucet!.getFunction('drip')(chain.address));
  await chain.send(() => chain.staking.getFunction('register')([classId], 'http://127.0.0.1/scripted'));
  await chain.send(() => chain.token.getFunction('approve')(options.deployment.staking, MaxUint256));
  await chain.send(() => chain.staking.getFunction('stake')(classId, options.stake));

  const posted = async (jobId: bigint): Promise<EventLog> => {
    const [log] = (await market.queryFilter(market.filters.JobPosted!(jobId), options.deployment.startBlock)) as EventLog[];
    if (!log) throw new Error(`job ${jobId} was not posted`);
    return log;
  };

  return {
    address: chain.address,
    chain,
    /** Active stake in the class, in wei. */
    async activeStake(): Promise<bigint> {
      const cs = (await chain.staking.getFunction('classStakes')(chain.address, classId)) as unknown as { active: bigint };
      return BigInt(cs.active);
    },
    /** Claims job `jobId` and, unless the input is unusable, runs it as `mode` says. */
    async work(jobId: bigint, mode: ProviderMode = 'honest'): Promise<ProviderRun> {
      const log = await posted(jobId);
      const terms = termsFromJobPosted({
        requester: log.args.getValue('requester') as string,
        units: log.args.getValue('units') as bigint,
        maxPricePerUnit: log.args.getValue('maxPricePerUnit') as bigint,
        deadline: log.args.getValue('deadline') as bigint,
      });
      const inputUri = log.args.getValue('inputUri') as string;
      const inputHash = (log.args.getValue('inputHash') as string).toLowerCase();
      const run: ProviderRun = { terms, inputUri, inputHash, fetchedHash: null, fetchError: null, committed: null, deliveryStatus: null };
      let bytes: Uint8Array;
      try {
        const response = await fetch(inputUri, { signal: AbortSignal.timeout(3000) });
        bytes = new Uint8Array(await response.arrayBuffer());
        run.fetchedHash = hashBytes(bytes);
      } catch (error) {
        const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
        run.fetchError = `${error instanceof Error ? error.message : String(error)} ${cause?.code ?? ''}`;
        return run;
      }
      // A real provider refuses a job whose bytes do not hash to the posted inputHash.
      if (run.fetchedHash !== inputHash) return run;
      await chain.send(() => market.getFunction('claim')(jobId, terms, 0));
      const doc = jobInputDocument.parse(JSON.parse(new TextDecoder().decode(bytes)));
      let outputs = await options.runner.run(doc.model, doc.inputs);
      if (mode === 'wrong-outputs') outputs = perturb(outputs);
      const resultHash = resultHashOf(outputs);
      const base = { chainId: chain.chainId, market: await market.getAddress(), jobId: jobId.toString(), resultHash };
      const delivery: ResultDelivery = {
        version: JOB_FORMAT_VERSION,
        ...base,
        provider: chain.address,
        outputs,
        signature: await chain.wallet.signMessage(deliveryMessage(base)),
      };
      if (mode !== 'no-delivery') {
        const response = await fetch(doc.resultUri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery) });
        run.deliveryStatus = response.status;
      }
      const committed = mode === 'hash-mismatch' ? resultHashOf(perturb(outputs)) : resultHash;
      await chain.send(() => market.getFunction('commit')(jobId, terms, committed));
      run.committed = committed;
      return run;
    },
    /** Settles a committed job (after its window) as the provider. */
    async settle(jobId: bigint, run: ProviderRun): Promise<void> {
      await chain.send(() => market.getFunction('settle')(jobId, run.terms, run.committed));
    },
    close: () => chain.close(),
  };
}

/** The same outputs with the first float moved by 1: plainly wrong, correctly formatted. */
export function perturb(outputs: Record<string, JsonTensor>): Record<string, JsonTensor> {
  const [name, first] = Object.entries(outputs)[0]!;
  const bytes = new Uint8Array(tensorBytes(first));
  const view = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  view[0] = view[0]! + 1;
  return { ...outputs, [name]: toJsonTensor(first.dtype, first.dims, view) };
}
