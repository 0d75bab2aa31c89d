import { join } from 'node:path';
import { MaxUint256, type EventLog } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { jobStatusName, termsFromJobPosted, type JobTerms } from '../../common/contracts/market.ts';
import { builtinCatalog } from '../models/catalog.ts';
import { systemClock } from '../node-ports.ts';
import type { Clock } from '../ports.ts';
import { createArbiter, type Arbiter } from './arbiter.ts';
import { connectRequesterChain, readUint, revertName, transact } from './chain.ts';
import { followJob } from './follow-job.ts';
import { GENERATED_MODELS } from './generated-inputs.ts';
import { startJobServer } from './job-server.ts';
import { createModelRunner } from './model-runner.ts';
import { postJob } from './post-job.ts';

/** What the demand loop needs; the simulator process receives it over IPC. */
export interface DemandOptions {
  rpcUrl: string;
  deployment: Deployment;
  requesterKey: string;
  /** The ARBITER role key; without it disputes stay open for an outside arbiter. */
  arbiterKey?: string;
  ratePerMinute: number;
  /** Overrides the generated inputs' leading dimension (the units per job). */
  units?: number;
  maxPricePerUnit: bigint;
  classLabels: string[];
  /** Never more than this many jobs open at once (default 4). */
  maxOpen?: number;
  deadlineSeconds?: number;
  dataDir: string;
  /** One call per event: the simulator writes each as a JSON line. */
  log: (event: string, fields?: Record<string, unknown>) => void;
  signal: AbortSignal;
  /** Paces posting, stale expiry and the follow loops; defaults to real time. */
  clock?: Clock;
}

/**
 * The demand simulator's loop: posts generated jobs on the PaddleOCR models round-robin
 * over the given classes at `ratePerMinute`, follows each to the end (verify, settle or
 * dispute, expire), and expires its own stale jobs left over from an earlier run.
 */
export async function runDemand(options: DemandOptions): Promise<void> {
  const { log, signal } = options;
  const clock = options.clock ?? systemClock;
  const chain = await connectRequesterChain(options.rpcUrl, options.deployment, options.requesterKey, { clock });
  const server = await startJobServer();
  const runner = createModelRunner({ cacheDir: join(options.dataDir, 'cache'), threads: 1 });
  let arbiter: Arbiter | undefined;
  const running = new Set<Promise<unknown>>();
  try {
    if (options.arbiterKey) arbiter = await createArbiter({ rpcUrl: options.rpcUrl, deployment: options.deployment, arbiterKey: options.arbiterKey, runner });
    await topUp(true);
    for (const label of options.classLabels) {
      const market = chain.market(label);
      if ((await readUint(chain.token, 'allowance', chain.address, market.deployment.address)) < MaxUint256 / 2n) {
        await chain.send(() => transact(chain.token, 'approve', market.deployment.address, MaxUint256));
      }
    }
    log('ready', { address: chain.address, classes: options.classLabels, ratePerMinute: options.ratePerMinute });
    const stale = await findStale();
    const maxOpen = options.maxOpen ?? 4;
    const interval = Math.max(250, 60_000 / Math.max(options.ratePerMinute, 0.01));
    let seq = 0;
    let nextPost = clock.now();
    while (!signal.aborted) {
      for (const s of [...stale]) {
        // Past the deadline in block time (one more second covers a claimed job's strict check).
        if (!(await chain.time.passed(Number(s.terms.deadline) + 1))) continue;
        stale.delete(s);
        try {
          await chain.send(() => transact(chain.market(s.classLabel).contract, 'expire', s.jobId, s.terms));
          log('expired', { jobId: s.jobId.toString(), classLabel: s.classLabel, stale: true });
        } catch (error) {
          log('warning', { action: 'expire stale job', jobId: s.jobId.toString(), error: revertName(error) ?? String(error).slice(0, 200) });
        }
      }
      if (clock.now() >= nextPost && running.size < maxOpen) {
        nextPost = clock.now() + interval;
        const model = GENERATED_MODELS[seq % GENERATED_MODELS.length]!;
        const classLabel = options.classLabels[Math.floor(seq / GENERATED_MODELS.length) % options.classLabels.length]!;
        const seed = (clock.now() % 1_000_000) * 16 + (seq % 16);
        seq++;
        await postAndFollow(model, classLabel, seed);
      }
      await pause(clock, 250, signal);
    }
  } finally {
    await Promise.allSettled([...running]);
    arbiter?.close();
    await server.close();
    await runner.stop();
    chain.close();
  }

  async function postAndFollow(model: string, classLabel: string, seed: number): Promise<void> {
    const entry = builtinCatalog.find((e) => e.id === model)!;
    try {
      await topUp(false);
      const job = await postJob({
        chain,
        server,
        classLabel,
        model: { id: model, sha256: entry.sha256 },
        inputs: { seed },
        ...(options.units ? { units: options.units } : {}),
        maxPricePerUnit: options.maxPricePerUnit,
        deadlineSeconds: options.deadlineSeconds ?? 120,
      });
      log('posted', { jobId: job.jobId.toString(), classLabel, model, units: Number(job.terms.units), maxPricePerUnit: job.terms.maxPricePerUnit.toString(), deadline: Number(job.terms.deadline) });
      const follow = followJob({ chain, job, runner, clock, ...(arbiter ? { arbiter } : {}), signal, onEvent: (e) => log(e.type, { ...e }) })
        .then((outcome) => log(outcome.status === 'settled' ? 'settled' : outcome.status, {
          jobId: outcome.jobId,
          classLabel,
          provider: outcome.provider,
          paid: outcome.paid.toString(),
          refund: outcome.refund.toString(),
          verified: outcome.verified,
          reason: outcome.reason,
          ...(outcome.ruling ? { providerAtFault: outcome.ruling.providerAtFault, slashed: outcome.ruling.slashed.toString() } : {}),
        }))
        .catch((error: unknown) => {
          if (!signal.aborted) log('error', { jobId: job.jobId.toString(), error: error instanceof Error ? error.message : String(error) });
        })
        .finally(() => running.delete(follow));
      running.add(follow);
    } catch (error) {
      log('error', { action: 'post', model, classLabel, error: error instanceof Error ? error.message.slice(0, 300) : String(error) });
    }
  }

  /** Drips from the faucet when the balance runs low (and once at start). */
  async function topUp(atStart: boolean): Promise<void> {
    if (!chain.faucet) return;
    const balance = await readUint(chain.token, 'balanceOf', chain.address);
    if (!atStart && balance > options.maxPricePerUnit * 1024n * 4n) return;
    if (atStart && balance > 1000n * 10n ** 18n) return;
    try {
      await chain.send(() => transact(chain.faucet!, 'drip', chain.address));
      log('funded', { balance: (await readUint(chain.token, 'balanceOf', chain.address)).toString() });
    } catch (error) {
      log('warning', { action: 'drip', error: revertName(error) ?? String(error).slice(0, 200) });
    }
  }

  /** Our own jobs from an earlier run that are still open or claimed: they get expired. */
  async function findStale(): Promise<Set<{ classLabel: string; jobId: bigint; terms: JobTerms }>> {
    const found = new Set<{ classLabel: string; jobId: bigint; terms: JobTerms }>();
    for (const label of options.classLabels) {
      const market = chain.market(label).contract;
      const logs = (await market.queryFilter(market.filters.JobPosted!(null, chain.address), options.deployment.startBlock)) as EventLog[];
      for (const l of logs) {
        const jobId = BigInt(l.args.getValue('jobId') as bigint);
        const state = (await market.getFunction('jobState')(jobId)) as unknown as { status: bigint };
        const status = jobStatusName(state.status);
        if (status !== 'Open' && status !== 'Claimed') continue;
        found.add({
          classLabel: label,
          jobId,
          terms: termsFromJobPosted({
            requester: l.args.getValue('requester') as string,
            units: l.args.getValue('units') as bigint,
            maxPricePerUnit: l.args.getValue('maxPricePerUnit') as bigint,
            deadline: l.args.getValue('deadline') as bigint,
          }),
        });
      }
    }
    if (found.size > 0) log('stale', { jobs: [...found].map((s) => s.jobId.toString()) });
    return found;
  }
}

/** Waits `ms` on the clock, or less when `signal` aborts. */
function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clock.clearTimeout(handle);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const handle = clock.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
