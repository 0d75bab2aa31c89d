/**
 * One market job, step by step: fetch and check the input *before* claiming (a broken
 * input costs nothing), claim, run in the worker, deliver the signed result to the
 * requester, commit its hash. Each step is written to the ledger with its detail, so the
 * Jobs page shows the timeline and a crash resumes from the last step the chain confirms.
 */
import { HearthError, isHearthError } from '../../common/errors.ts';
import type { JobTerms } from '../../common/contracts/market.ts';
import { deliveryMessage, unitsOf, type JobInputDocument, type ResultDelivery } from '../../common/market/job-format.ts';
import type { MarketJobDetail } from '../../common/ipc/groups/market.ts';
import type { Ledger } from '../ledger/index.ts';
import type { ModelStore, WorkerSupervisor } from '../worker/index.ts';
import type { Signer } from '../chain/tx-manager.ts';
import { marketIface, termsArg } from './chain-reads.ts';
import { fetchJobInput } from './fetch-input.ts';
import { deliverResult } from './deliver.ts';
import { encodeOutputs } from './result-hash.ts';
import { fromJsonTensors } from '../requester/tensors.ts';
import { sendAndWait, type SendDeps, type SentTx } from './send.ts';

export interface RunnerDeps extends SendDeps {
  ledger: Ledger;
  supervisor: WorkerSupervisor;
  store: ModelStore;
  chainId: number;
  /** The wallet's signer; throws when the wallet is locked. */
  signer: () => Signer & { signMessage(text: string): Promise<string> };
  allowPrivateHosts: boolean;
  /** Inputs already fetched, so a preempted job does not fetch again. */
  inputs: Map<string, JobInputDocument>;
  /** Told each completed run, so devices never benchmarked get a measured speed. */
  onRun?: (deviceId: string, units: number, runMs: number) => void;
}

export function termsOf(job: MarketJobDetail): JobTerms {
  return { requester: job.requester, units: BigInt(job.units), maxPricePerUnit: BigInt(job.maxPricePerUnitWei), deadline: BigInt(Math.floor(job.deadline / 1000)) };
}

/** Fetches the input and checks it is the job it claims to be; declines (no claim yet) when not. */
export async function prepare(job: MarketJobDetail, deps: RunnerDeps, modelId: string): Promise<JobInputDocument> {
  const cached = deps.inputs.get(job.key);
  if (cached) return cached;
  deps.ledger.transition(job.key, 'fetching', `Fetching the input from ${shortUri(job.inputUri)}`);
  const { document, bytes } = await fetchJobInput(job.inputUri, job.inputHash, { allowPrivateHosts: deps.allowPrivateHosts });
  const units = unitsOf(document);
  if (units !== job.units) {
    throw new HearthError('input_units', `The input has ${units} rows but the job pays for ${job.units}.`);
  }
  if (document.model !== modelId) {
    throw new HearthError('input_model', `The input names model ${document.model}, but the job's model hash is ${modelId}.`);
  }
  deps.inputs.set(job.key, document);
  deps.ledger.transition(job.key, 'fetching', `Fetched ${(bytes.length / 1024).toFixed(0)} KiB; the hash matches`);
  return document;
}

/** The claim transaction's label: also how recovery finds a claim still pending after a restart. */
export function claimLabel(job: Pick<MarketJobDetail, 'jobId' | 'classLabel'>): string {
  return `Claim job ${job.jobId} (${job.classLabel})`;
}

/** Claims at the current price, protected by the user's minimum. */
export async function claim(job: MarketJobDetail, deps: RunnerDeps, minPricePerUnit: bigint): Promise<void> {
  deps.ledger.transition(job.key, 'claiming', 'Sending the claim');
  const data = marketIface.encodeFunctionData('claim', [BigInt(job.jobId), termsArg(termsOf(job)), minPricePerUnit]);
  const sent = await sendAndWait(deps, deps.signer(), { to: job.market, data, label: claimLabel(job) });
  deps.ledger.recordTx({ hash: sent.hash, jobKey: job.key, label: 'claim', status: sent.status, gasUsed: sent.gasUsed.toString(), gasWei: sent.gasWei.toString(), blockNumber: sent.blockNumber });
  if (sent.status === 'failed') throw new HearthError('claim_failed', `The claim was included but reverted (${sent.hash}).`);
  const claimed = sent.logs.map((l) => safeParse(l)).find((p) => p?.name === 'JobClaimed');
  const price = claimed ? BigInt(claimed.args[3] as bigint) : null;
  const signer = deps.signer().address;
  deps.ledger.transition(job.key, 'claimed', `Claimed in block ${sent.blockNumber}`, price !== null ? { pricePerUnitWei: price.toString(), provider: signer } : { provider: signer });
}

export interface RunOutcome {
  kind: 'committed' | 'preempted';
}

/** Runs the claimed job, delivers and commits. Preemption leaves it claimed for a retry. */
export async function execute(
  job: MarketJobDetail,
  deps: RunnerDeps,
  run: { modelId: string; deviceId: string; preempted: () => boolean; onProgress: (p: number) => void },
): Promise<RunOutcome> {
  const document = await prepare(job, deps, run.modelId);
  const model = await deps.store.ensure(run.modelId);
  if (run.preempted()) return { kind: 'preempted' };
  deps.ledger.transition(job.key, 'running', `Running ${run.modelId} on ${run.deviceId}`, { deviceId: run.deviceId });
  await deps.supervisor.start();
  const inputs = fromJsonTensors(document.inputs);
  let result;
  try {
    // Slices of 8 rows let a returning user get the machine back between slices.
    result = await deps.supervisor.run({ id: `market-${job.key}`, model, inputs, sliceRows: 8 });
  } catch (error) {
    if (run.preempted() || (isHearthError(error) && error.code === 'preempted')) {
      deps.ledger.transition(job.key, 'claimed', 'Paused: you came back. It will run again while the deadline allows.');
      return { kind: 'preempted' };
    }
    throw error;
  }
  run.onProgress(1);
  deps.onRun?.(run.deviceId, job.units, result.timings.runMs);
  const { json: outputs, resultHash } = encodeOutputs(result.outputs);
  deps.ledger.transition(job.key, 'delivering', `Delivering the signed result (ran on ${run.deviceId} with ${result.provider} in ${Math.round(result.timings.runMs)} ms)`, {
    executionProvider: result.provider,
    runMs: result.timings.runMs,
    resultHash,
  });
  const signer = deps.signer();
  const body = { version: 1 as const, chainId: deps.chainId, market: job.market, jobId: job.jobId, provider: signer.address, outputs, resultHash };
  const delivery: ResultDelivery = { ...body, signature: await signer.signMessage(deliveryMessage(body)) };
  const delivered = await deliverResult(document.resultUri, delivery, { clock: deps.clock, allowPrivateHosts: deps.allowPrivateHosts });
  deps.ledger.transition(
    job.key,
    'committing',
    delivered.ok ? 'Committing the result hash; the requester took the result' : `Committing the result hash; the requester did not take the result (${delivered.reason})`,
  );
  const data = marketIface.encodeFunctionData('commit', [BigInt(job.jobId), termsArg(termsOf(job)), resultHash]);
  const sent = await sendAndWait(deps, signer, { to: job.market, data, label: `Commit job ${job.jobId} (${job.classLabel})` });
  deps.ledger.recordTx({ hash: sent.hash, jobKey: job.key, label: 'commit', status: sent.status, gasUsed: sent.gasUsed.toString(), gasWei: sent.gasWei.toString(), blockNumber: sent.blockNumber });
  if (sent.status === 'failed') throw new HearthError('commit_failed', `The commit was included but reverted (${sent.hash}).`);
  deps.inputs.delete(job.key);
  deps.ledger.transition(job.key, 'committed', `Committed in block ${sent.blockNumber}; paid after the challenge window`);
  return { kind: 'committed' };
}

/** Settles a committed job whose window has passed; returns the receipt's logs (the JobSettled payment). */
export async function settle(job: MarketJobDetail, deps: RunnerDeps): Promise<SentTx['logs']> {
  deps.ledger.transition(job.key, 'settling', 'Collecting the payment');
  return collect(job, deps, 'settle', `Settle job ${job.jobId} (${job.classLabel})`);
}

/**
 * A disputed job whose ruling deadline passed with no ruling: the market's default outcome
 * pays us (no fault was proven). Anyone may call it; we do, to be paid.
 */
export async function resolveExpiredDispute(job: MarketJobDetail, deps: RunnerDeps): Promise<SentTx['logs']> {
  return collect(job, deps, 'resolveExpiredDispute', `Collect job ${job.jobId} after an unruled dispute (${job.classLabel})`);
}

async function collect(job: MarketJobDetail, deps: RunnerDeps, method: 'settle' | 'resolveExpiredDispute', label: string): Promise<SentTx['logs']> {
  if (!job.resultHash) throw new HearthError('no_result_hash', 'The ledger has no result hash for this job.');
  const data = marketIface.encodeFunctionData(method, [BigInt(job.jobId), termsArg(termsOf(job)), job.resultHash]);
  const sent = await sendAndWait(deps, deps.signer(), { to: job.market, data, label });
  deps.ledger.recordTx({ hash: sent.hash, jobKey: job.key, label: method === 'settle' ? 'settle' : 'resolve-expired-dispute', status: sent.status, gasUsed: sent.gasUsed.toString(), gasWei: sent.gasWei.toString(), blockNumber: sent.blockNumber });
  if (sent.status === 'failed') throw new HearthError('settle_failed', `The transaction was included but reverted (${sent.hash}).`);
  return sent.logs;
}

function safeParse(log: { topics: string[]; data: string }) {
  try {
    return marketIface.parseLog(log);
  } catch {
    return null;
  }
}

function shortUri(uri: string): string {
  if (uri.startsWith('data:')) return 'a data: URI';
  return uri.length > 80 ? `${uri.slice(0, 77)}…` : uri;
}
