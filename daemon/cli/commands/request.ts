import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatUnits, parseUnits } from 'ethers';
import { parseDeployment, type Deployment } from '../../../common/contracts/addresses.ts';
import { isHearthError } from '../../../common/errors.ts';
import { devAccounts } from '../../../core/chain/devnet.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';
import { DEVNET_CHAIN_ID } from '../../../core/requester/chain-time.ts';
import { createArbiter, type Arbiter } from '../../../core/requester/arbiter.ts';
import { connectRequesterChain, type RequesterChain } from '../../../core/requester/chain.ts';
import { followJob, type RequesterEvent } from '../../../core/requester/follow-job.ts';
import { startJobServer, type JobServer } from '../../../core/requester/job-server.ts';
import { workerRunner } from '../../../core/requester/model-runner.ts';
import { postJob } from '../../../core/requester/post-job.ts';
import { createLocalInference, nameInputs, resolveModelArg } from '../../../core/worker/local.ts';
import { readTensorFile } from '../../../core/worker/tensor-files.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { findLocalChain } from '../local-chain.ts';

/** The CLI's default requester on the local devnet (account 0 deploys, the simulator uses 7). */
const DEVNET_REQUESTER_INDEX = 3;

const tokens = (wei: bigint): string => `${formatUnits(wei, 18)} tokens`;

function progress(e: RequesterEvent): string {
  switch (e.type) {
    case 'claimed':
      return `claimed   by ${String(e.provider)} at ${formatUnits(BigInt(e.pricePerUnit as string), 18)} per unit`;
    case 'delivered':
      return `delivered result ${String(e.resultHash)}`;
    case 'committed':
      return `committed ${String(e.resultHash)}, challenge window until ${new Date(Number(e.windowEnd) * 1000).toISOString()}`;
    case 'verified':
      return 'verified  the outputs match an independent run';
    case 'rejected':
      return `rejected  ${String(e.reason)}`;
    case 'disputed':
      return `disputed  with a bond of ${tokens(BigInt(e.bond as string))}`;
    case 'resolved':
      return `ruling    provider ${e.providerAtFault ? 'at fault' : 'not at fault'} (${String(e.reason)})`;
    default:
      return `${e.type.padEnd(9)} ${JSON.stringify({ ...e, type: undefined, jobId: undefined, classLabel: undefined })}`;
  }
}

export const requestCommand: CliCommand = {
  name: 'request',
  summary: 'Post one inference job on-chain, wait for the result, verify it, and settle or dispute',
  usage:
    'hearth request --model <catalog id | path.onnx> --input <file.json | file.npy> --max-price P [--units N] ' +
    '[--rpc URL --addresses FILE] [--class cpu] [--key-env VAR] [--deadline-s S] [--json] [--data-dir DIR]\n' +
    '  Without --rpc and --addresses it uses the local devnet of the Hearth running for --data-dir (or HEARTH_DATA_DIR);\n' +
    '  for any other chain pass both.\n' +
    '  --max-price is in tokens per unit. The key is read from the environment variable named by --key-env, never from the command line;\n' +
    '  on the local devnet (chain 31337) it defaults to dev account 3, a public test key, and dev account 0 acts as the arbiter.\n' +
    '  Results are delivered to a server on 127.0.0.1, so providers must run on this machine.',
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          model: { type: 'string' },
          input: { type: 'string' },
          units: { type: 'string' },
          'max-price': { type: 'string' },
          class: { type: 'string' },
          rpc: { type: 'string' },
          addresses: { type: 'string' },
          'key-env': { type: 'string' },
          'deadline-s': { type: 'string' },
          json: { type: 'boolean' },
          'data-dir': { type: 'string' },
        },
        strict: true,
      }));
    } catch (error) {
      io.err(`hearth request: ${error instanceof Error ? error.message : String(error)}\nUsage: ${this.usage}\n`);
      return EXIT.usage;
    }
    const usage = (why: string): number => {
      io.err(`hearth request: ${why}\nUsage: ${this.usage}\n`);
      return EXIT.usage;
    };
    if (!values.model || !values.input || !values['max-price']) return usage('--model, --input and --max-price are required.');
    if ((values.rpc === undefined) !== (values.addresses === undefined)) return usage('pass --rpc and --addresses together (or neither, for the running Hearth\'s local devnet).');
    const units = values.units === undefined ? undefined : Number(values.units);
    if (units !== undefined && (!Number.isInteger(units) || units < 1)) return usage('--units must be a positive whole number.');
    let maxPrice: bigint;
    try {
      maxPrice = parseUnits(values['max-price'], 18);
    } catch {
      return usage('--max-price must be a number of tokens, e.g. 0.02.');
    }
    const deadlineS = values['deadline-s'] === undefined ? 120 : Number(values['deadline-s']);
    if (!Number.isFinite(deadlineS) || deadlineS < 5) return usage('--deadline-s must be at least 5 seconds.');
    const keyVar = values['key-env'];
    if (keyVar !== undefined && !io.env[keyVar]) return usage(`the environment variable ${keyVar} (named by --key-env) is empty.`);

    const say = (line: string): void => (values.json ? io.err(`${line}\n`) : io.out(`${line}\n`));
    let chain: RequesterChain | undefined;
    let arbiter: Arbiter | undefined;
    let server: JobServer | undefined;
    const { supervisor, store } = createLocalInference(io.env);
    const runner = workerRunner(supervisor, store, true);
    try {
      let rpcUrl: string;
      let deployment: Deployment;
      if (values.rpc !== undefined && values.addresses !== undefined) {
        rpcUrl = values.rpc;
        deployment = parseDeployment(await readFile(values.addresses, 'utf8'));
      } else {
        try {
          ({ rpcUrl, deployment } = await findLocalChain(values['data-dir'] ?? defaultAppPaths(io.env).dataDir));
        } catch (error) {
          if (isHearthError(error) && error.code === 'no_local_chain') return usage(error.message);
          throw error;
        }
        say(`chain     the running Hearth's local devnet at ${rpcUrl}`);
      }
      let key = keyVar ? io.env[keyVar]! : undefined;
      if (!key) {
        if (deployment.chainId !== DEVNET_CHAIN_ID) return usage(`pass --key-env: chain ${deployment.chainId} is not the local devnet.`);
        key = devAccounts()[DEVNET_REQUESTER_INDEX]!.privateKey;
        say(`note      using dev account ${DEVNET_REQUESTER_INDEX}, a public test key: only for the local devnet`);
      }
      chain = await connectRequesterChain(rpcUrl, deployment, key);
      if (chain.chainId === DEVNET_CHAIN_ID) {
        arbiter = await createArbiter({ rpcUrl, deployment, arbiterKey: devAccounts()[0]!.privateKey, runner });
      }
      const model = await resolveModelArg({ store, supervisor }, values.model);
      const spec = model.entry ?? (await supervisor.inspect(model));
      const inputs = nameInputs(await readTensorFile(values.input), spec.inputs.map((i) => i.name));
      const modelId = model.entry?.id ?? (basename(model.path).toLowerCase().replace(/\.onnx$/, '').replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 64) || 'model');
      server = await startJobServer();
      const classLabel = values.class ?? 'cpu';
      const job = await postJob({
        chain,
        server,
        classLabel,
        model: { id: modelId, sha256: model.key },
        inputs,
        ...(units !== undefined ? { units } : {}),
        maxPricePerUnit: maxPrice,
        deadlineSeconds: deadlineS,
      });
      say(`posted    job ${job.jobId} on ${classLabel} (${job.market}), ${job.terms.units} units at most ${values['max-price']} each, escrow ${tokens(job.escrow)}`);
      const outcome = await followJob({ chain, job, runner, model, ...(arbiter ? { arbiter } : {}), onEvent: (e) => say(progress(e)) });
      const ok = outcome.status === 'settled' && outcome.verified;
      const summary = {
        jobId: outcome.jobId,
        market: outcome.market,
        class: outcome.classLabel,
        status: outcome.status,
        provider: outcome.provider,
        pricePerUnit: outcome.pricePerUnit === null ? null : formatUnits(outcome.pricePerUnit, 18),
        paid: formatUnits(outcome.paid, 18),
        refund: formatUnits(outcome.refund, 18),
        verified: outcome.verified,
        reason: outcome.reason,
        ruling: outcome.ruling ? { providerAtFault: outcome.ruling.providerAtFault, slashed: formatUnits(outcome.ruling.slashed, 18) } : null,
      };
      if (values.json) {
        io.out(`${JSON.stringify(summary)}\n`);
      } else {
        io.out(
          [
            `job       ${summary.jobId} (${summary.class})`,
            `result    ${ok ? 'verified and settled' : outcome.status === 'disputed' ? `disputed: ${outcome.reason ?? ''}` : `${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`}`,
            `provider  ${summary.provider ?? '-'}`,
            `price     ${summary.pricePerUnit ?? '-'} per unit`,
            `paid      ${summary.paid}`,
            `refund    ${summary.refund}`,
          ].join('\n') + '\n',
        );
      }
      return ok ? EXIT.ok : EXIT.failure;
    } catch (error) {
      io.err(`hearth request: ${error instanceof Error ? error.message : String(error)}${isHearthError(error) ? ` [${error.code}]` : ''}\n`);
      return EXIT.failure;
    } finally {
      await server?.close();
      arbiter?.close();
      chain?.close();
      await runner.stop();
    }
  },
};
