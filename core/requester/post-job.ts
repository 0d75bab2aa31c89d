import { Signature, type Contract, type Wallet } from 'ethers';
import { createServer } from 'node:net';
import { termsFromJobPosted, type JobTerms } from '../../common/contracts/market.ts';
import { HearthError } from '../../common/errors.ts';
import { JOB_FORMAT_VERSION, hashBytes, jobInputDocument, modelHashOf, unitsOf, type JobInputDocument } from '../../common/market/job-format.ts';
import type { Tensor } from '../../common/worker/protocol.ts';
import { readUint, transact, type RequesterChain } from './chain.ts';
import { generateInputs } from './generated-inputs.ts';
import type { HostedJob, JobServer } from './job-server.ts';
import { toJsonTensors } from './tensors.ts';

/** Ways a requester can misbehave on purpose, so tests can show what providers do about it. */
export interface PostMisbehaviour {
  /** The on-chain inputUri points at a closed port. */
  unreachableInput?: boolean;
  /** The on-chain inputHash does not match the served bytes. */
  wrongInputHash?: boolean;
}

export interface PostJobOptions {
  chain: RequesterChain;
  server: JobServer;
  classLabel: string;
  /** Catalog id (written into the document) and the model file's sha256 (the on-chain modelHash). */
  model: { id: string; sha256: string };
  /** Input tensors, or a seed for `generateInputs` (catalog models only). */
  inputs: Record<string, Tensor> | { seed: number };
  /** When given, must equal the units the inputs carry (their first input's leading dimension). */
  units?: number;
  maxPricePerUnit: bigint;
  /** Seconds from now until the result must be committed (clamped to the market's maximum). */
  deadlineSeconds: number;
  misbehave?: PostMisbehaviour;
}

/** A job on-chain and the document behind it: everything needed to follow it to the end. */
export interface PostedJob {
  jobId: bigint;
  classLabel: string;
  market: string;
  chainId: number;
  terms: JobTerms;
  modelId: string;
  modelHash: string;
  inputHash: string;
  inputUri: string;
  document: JobInputDocument;
  escrow: bigint;
  postedBlock: number;
  hosted: HostedJob;
}

/**
 * Builds the input document, serves it, pays the escrow (a permit when the allowance is
 * short, so it is one transaction) and posts the job. Returns its id and terms as the
 * JobPosted event states them.
 */
export async function postJob(options: PostJobOptions): Promise<PostedJob> {
  const { chain, classLabel } = options;
  const market = chain.market(classLabel);
  const tensors = 'seed' in options.inputs && typeof options.inputs.seed === 'number'
    ? generateInputs(options.model.id, options.inputs.seed, options.units)
    : (options.inputs as Record<string, Tensor>);
  const inputs = toJsonTensors(tensors);
  let document: JobInputDocument | undefined;
  let bytes: Uint8Array | undefined;
  const hosted = options.server.host(({ resultUri }) => {
    document = jobInputDocument.parse({ version: JOB_FORMAT_VERSION, model: options.model.id, inputs, resultUri });
    bytes = new TextEncoder().encode(JSON.stringify(document));
    return bytes;
  });
  try {
    if (!document || !bytes) throw new Error('unreachable: the document was not built');
    const units = unitsOf(document);
    if (units < 1 || units > 0xffffffff) throw new HearthError('bad_units', 'The first input needs a leading (batch) dimension of at least 1: that is the job\'s units.');
    if (options.units !== undefined && options.units !== units) {
      throw new HearthError('bad_units', `--units is ${options.units} but the input's leading dimension is ${units}: a job pays for the rows it carries.`);
    }
    const inputHash = options.misbehave?.wrongInputHash ? hashBytes(new TextEncoder().encode(`not the document ${hosted.token}`)) : hashBytes(bytes);
    const inputUri = options.misbehave?.unreachableInput ? `http://127.0.0.1:${await closedPort()}/jobs/${hosted.token}/input` : hosted.inputUri;
    const modelHash = modelHashOf(options.model.sha256);
    const maxDuration = await readUint(market.contract, 'maxJobDuration');
    // On a devnet without idle blocks the latest block can be older than maxJobDuration:
    // fresh() mines one there, so the clamp below cannot put the deadline in the past.
    const chainNow = BigInt(await chain.time.fresh());
    const wallNow = BigInt(Math.floor(Date.now() / 1000));
    const start = chainNow > wallNow ? chainNow : wallNow;
    let deadline = start + BigInt(Math.max(1, Math.floor(options.deadlineSeconds)));
    if (deadline > chainNow + maxDuration) deadline = chainNow + maxDuration;
    const escrow = BigInt(units) * options.maxPricePerUnit;

    const args = [modelHash, inputHash, inputUri, units, options.maxPricePerUnit, deadline] as const;
    const receipt = await chain.send(async (signer) => {
      const allowance = await readUint(chain.token, 'allowance', chain.address, market.deployment.address);
      if (allowance >= escrow) return transact(market.contract, 'post', ...args);
      const permit = await signPermit(chain.token, signer, market.deployment.address, escrow, chain.chainId);
      return transact(market.contract, 'postWithPermit', ...args, permit.deadline, permit.v, permit.r, permit.s);
    });
    const posted = receipt.logs
      .map((log) => {
        try {
          return market.contract.interface.parseLog(log as { topics: string[]; data: string });
        } catch {
          return null;
        }
      })
      .find((parsed) => parsed?.name === 'JobPosted');
    if (!posted) throw new HearthError('post_failed', 'The post transaction succeeded but emitted no JobPosted event.');
    const jobId = BigInt(posted.args.getValue('jobId') as bigint);
    const terms = termsFromJobPosted({
      requester: posted.args.getValue('requester') as string,
      units: posted.args.getValue('units') as bigint,
      maxPricePerUnit: posted.args.getValue('maxPricePerUnit') as bigint,
      deadline: posted.args.getValue('deadline') as bigint,
    });
    hosted.bind({ chainId: chain.chainId, market: market.deployment.address, jobId: jobId.toString() });
    return {
      jobId,
      classLabel,
      market: market.deployment.address,
      chainId: chain.chainId,
      terms,
      modelId: options.model.id,
      modelHash,
      inputHash,
      inputUri,
      document,
      escrow,
      postedBlock: receipt.blockNumber,
      hosted,
    };
  } catch (error) {
    hosted.close();
    throw error;
  }
}

/** An EIP-2612 permit for `value` to `spender`, valid for an hour. */
async function signPermit(token: Contract, signer: Wallet, spender: string, value: bigint, chainId: number) {
  const domain = (await token.getFunction('eip712Domain')()) as unknown as [string, string, string, bigint, string];
  const nonce = await readUint(token, 'nonces', signer.address);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const signature = await signer.signTypedData(
    { name: domain[1], version: domain[2], chainId, verifyingContract: domain[4] },
    { Permit: [{ name: 'owner', type: 'address' }, { name: 'spender', type: 'address' }, { name: 'value', type: 'uint256' }, { name: 'nonce', type: 'uint256' }, { name: 'deadline', type: 'uint256' }] },
    { owner: signer.address, spender, value, nonce, deadline },
  );
  const sig = Signature.from(signature);
  return { deadline, v: sig.v, r: sig.r, s: sig.s };
}

/** A port nothing listens on (bound, then closed at once). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 9;
      server.close(() => resolve(port));
    });
  });
}
