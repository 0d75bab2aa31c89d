/**
 * The earning loop's set-up for benches: a provider registered in one market on the daemon's
 * local chain, and a requester with its own key posting real jobs to it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MaxUint256, Wallet, parseUnits } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { BenchmarkStatus } from '../../common/hardware.ts';
import { devAccounts } from '../../core/chain/devnet.ts';
import { builtinCatalog } from '../../core/models/catalog.ts';
import { connectRequesterChain, readUint, transact, type RequesterChain } from '../../core/requester/chain.ts';
import { startJobServer, type JobServer } from '../../core/requester/job-server.ts';
import { postJob, type PostedJob } from '../../core/requester/post-job.ts';
import type { Connection } from '../../daemon/cli/connect.ts';
import { waitFor } from './daemon.ts';

export const BENCH_PASSWORD = 'correct horse battery';
/** The model benches post: PaddleOCR's recognizer, cheap enough to run on a CPU. */
export const BENCH_MODEL = 'paddleocr-rec-v4';

/**
 * A new user's set-up on a fresh data folder: import a key, take the test funds, register and
 * stake in `classLabel`, and run the CPU benchmark (without it the market assumes 0.1 units/s on
 * a CPU and declines most jobs as too slow for their deadline).
 */
export async function setUpProvider(api: Connection, classLabel: string, stake = '130'): Promise<BenchmarkStatus> {
  const key = Wallet.createRandom().privateKey;
  await api.client.call('wallet:import', { kind: 'privateKey', privateKey: key, password: BENCH_PASSWORD });
  await api.client.call('wallet:get-test-funds', {});
  await waitFor(async () => {
    const p = await api.client.call('market:preview-register', { classLabel, stake });
    return p.problem === null ? p : undefined;
  }, 'test funds', 60_000);
  await api.client.call('market:register', { classLabel, stake });
  await api.client.call('hardware:benchmark', { deviceId: 'cpu' });
  return waitFor(async () => {
    const s = await api.client.call('hardware:benchmark-status', {});
    if (s.state === 'failed') throw new Error(`the CPU benchmark failed: ${s.error?.message ?? ''}`);
    return s.state === 'done' ? s : undefined;
  }, 'the CPU benchmark', 120_000, 500);
}

export interface BenchRequester {
  chain: RequesterChain;
  /** Posts one job of `units` of BENCH_MODEL with generated inputs. */
  post(units: number, seed: number, deadlineSeconds?: number): Promise<PostedJob>;
  close(): Promise<void>;
}

/** The ledger key the provider files a posted job under. */
export const jobKey = (job: PostedJob): string => `${job.chainId}:${job.market.toLowerCase()}:${job.jobId}`;

/**
 * A requester with its own key (dev account 12: not the deployer, the CLI or the simulator) and
 * its own job server, funded from the faucet and approved once, as the simulator does.
 */
export async function startRequester(dataDir: string, rpcUrl: string, classLabel: string): Promise<BenchRequester> {
  const deployment = JSON.parse(await readFile(join(dataDir, 'chain', 'deployment.json'), 'utf8')) as Deployment;
  const chain = await connectRequesterChain(rpcUrl, deployment, devAccounts()[12]!.privateKey);
  let server: JobServer | undefined;
  try {
    await chain.send(() => transact(chain.faucet!, 'drip', chain.address));
    const marketAddress = chain.market(classLabel).deployment.address;
    // Approved once up front, so each post is a plain `post` (no permit).
    if ((await readUint(chain.token, 'allowance', chain.address, marketAddress)) < MaxUint256 / 2n) {
      await chain.send(() => transact(chain.token, 'approve', marketAddress, MaxUint256));
    }
    server = await startJobServer();
  } catch (error) {
    chain.close();
    throw error;
  }
  const jobs = server;
  const entry = builtinCatalog.find((m) => m.id === BENCH_MODEL)!;
  return {
    chain,
    post: (units, seed, deadlineSeconds = 300) =>
      postJob({
        chain,
        server: jobs,
        classLabel,
        model: { id: BENCH_MODEL, sha256: entry.sha256 },
        inputs: { seed },
        units,
        maxPricePerUnit: parseUnits('0.02', 18),
        deadlineSeconds,
      }),
    close: async () => {
      await jobs.close().catch(() => undefined);
      chain.close();
    },
  };
}
