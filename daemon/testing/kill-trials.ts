/**
 * Kill trials: a real daemon earns on its local chain while a requester keeps jobs coming,
 * and trial after trial it is SIGKILLed at a random moment (a random delay, a point of the
 * earning loop seen in the ledger, or while it boots), started again on the same data
 * folder and left to recover. At the end it runs unharmed until every posted job is
 * settled, and the ledger is compared with the chain (ledger-vs-chain.ts). Seeded.
 */
import type { MarketJobState } from '../../common/ipc/groups/market.ts';
import { JOB_STATUS } from '../../common/contracts/market.ts';
import { startJobServer, type PostedJob, type RequesterChain } from '../../core/requester/index.ts';
import { readUint } from '../../core/requester/chain.ts';
import { tempDir, waitFor } from '../../core/test-support.ts';
import {
  connectRequester,
  fundRequester,
  killDaemon,
  ledgerJobs,
  letWorkRun,
  logTail,
  onboard,
  postRecognizerJob,
  readDeployment,
  spawnDaemon,
  startDaemon,
  whenChainReady,
  type DaemonRun,
  type HarnessOptions,
} from './earning-harness.ts';
import { compareLedgerWithChain, type Comparison } from './ledger-vs-chain.ts';

export interface KillTrialsOptions {
  trials: number;
  seed: number;
  /** Sources (tests) or dist/daemon (benches, faster restarts). */
  fromSources: boolean;
  step: (text: string) => void;
  /** Rows per job (default 16: a second or so of recognizer work on a CPU). */
  units?: number;
  /** How long the unharmed daemon gets at the end to finish every posted job (default 180 s). */
  finishTimeoutMs?: number;
  /** Kill points to draw from (default all; a short run may leave out `settling`, a 30 s wait). */
  targets?: readonly Target[];
}

export interface KillTrialsResult {
  trials: number;
  posted: number;
  /** Where each kill landed: the target and the job states seen at that moment. */
  kills: { target: string; seen: string }[];
  /** Spawn to connectToRunning succeeding, per restart. */
  restartMs: number[];
  /** Spawn to the chain ready and the wallet unlocked (earning again), per restart. */
  recoverMs: number[];
  comparison: Comparison;
  dataDir: string;
}

/** A small seeded generator (mulberry32): the same seed replays the same kill schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Loop points: killed the moment a job is seen in this state (polled every 20 ms; short states can be missed, then the kill comes after 15 s, wherever the loop is). */
const STATES: MarketJobState[] = ['fetching', 'claiming', 'claimed', 'running', 'delivering', 'committing', 'committed', 'settling'];
export const TARGETS = ['delay', 'boot', ...STATES] as const;
export type Target = (typeof TARGETS)[number];
async function warp(chain: RequesterChain, seconds: number): Promise<void> {
  await chain.provider.send('evm_increaseTime', [seconds]);
  await chain.provider.send('evm_mine', []);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runKillTrials(o: KillTrialsOptions): Promise<KillTrialsResult> {
  const random = seededRandom(o.seed);
  const data = await tempDir('hearth-kills-');
  const h: HarnessOptions = { dataDir: data.dir, fromSources: o.fromSources, step: o.step, log: [] };
  const server = await startJobServer();
  const posted: PostedJob[] = [];
  const final = new Set<string>();
  const result: KillTrialsResult = { trials: 0, posted: 0, kills: [], restartMs: [], recoverMs: [], comparison: { lost: [], double: [], unreadable: [], sums: [], paidWei: 0n }, dataDir: data.dir };
  let run: DaemonRun = await startDaemon(h);
  let requester: RequesterChain | undefined;
  let broke = false;
  try {
    await whenChainReady(run.api, false, h);
    const provider = await onboard(run.api, '1000');
    const deployment = await readDeployment(data.dir);
    requester = await connectRequester(run.api, deployment);
    await fundRequester(requester);
    const balanceBefore = await readUint(requester.token, 'balanceOf', provider);
    await letWorkRun(run.api);
    o.step(`seed ${o.seed}: ${o.trials} kills; provider ${provider}; data ${data.dir}`);

    /** Keeps two jobs open on the chain, so there is always work to be killed in. */
    const topUp = async (chain: RequesterChain): Promise<void> => {
      let open = 0;
      for (const job of posted) {
        if (final.has(job.jobId.toString())) continue;
        const st = (await chain.market('cpu').contract.getFunction('jobState')(job.jobId)) as unknown as bigint[];
        const status = JOB_STATUS[Number(st[3])];
        if (status === 'Open') open++;
        if (status === 'Settled' || status === 'Expired') final.add(job.jobId.toString());
      }
      for (; open < 2; open++) posted.push(await postRecognizerJob(chain, server, o.units ?? 16, posted.length + 1));
    };

    for (let trial = 1; trial <= o.trials; trial++) {
      await topUp(requester);
      const targets = o.targets ?? TARGETS;
      const target: Target = targets[Math.floor(random() * targets.length)]!;
      requester.close();
      if (target === 'boot') {
        // The running daemon goes first, then the next one while it starts: before its runtime
        // file, while the chain loads, or while it recovers.
        await killDaemon(run, data.dir);
        const booting = spawnDaemon(h);
        booting.ready.then((r) => r.api.close(), () => undefined);
        const ms = Math.round(random() * 3000);
        await sleep(ms);
        result.kills.push({ target, seen: `${ms} ms into a start` });
        await killDaemon({ child: booting.child }, data.dir);
      } else {
        result.kills.push({ target, seen: await killPoint(run, target, random) });
        await killDaemon(run, data.dir);
      }
      o.step(`trial ${trial}/${o.trials}: killed at ${target} (${result.kills.at(-1)!.seen})`);
      const started = Date.now();
      run = await startDaemon(h);
      result.restartMs.push(run.readyMs);
      await whenChainReady(run.api, true, h);
      result.recoverMs.push(Date.now() - started);
      requester = await connectRequester(run.api, deployment);
      await letWorkRun(run.api);
      result.trials = trial;
    }

    o.step(`all ${o.trials} kills done; waiting for every posted job (${posted.length}) to be settled`);
    const chain = requester;
    await waitFor(
      async () => {
        const onChain = await Promise.all(posted.map(async (j) => (await chain.market('cpu').contract.getFunction('jobState')(j.jobId)) as unknown as bigint[]));
        const states = onChain.map((st) => JOB_STATUS[Number(st[3])]);
        // No more restarts: time may now be moved on the chain (Anvil forgets such a move when it
        // reloads its state, so never during the trials), to the end of the challenge windows.
        const windowEnd = Math.max(0, ...onChain.filter((st) => JOB_STATUS[Number(st[3])] === 'Committed').map((st) => Number(st[2])));
        const now = (await chain.provider.getBlock('latest'))!.timestamp;
        if (windowEnd >= now) await warp(chain, windowEnd - now + 1);
        const done = states.every((s) => s === 'Settled' || s === 'Expired');
        const rows = await ledgerJobs(run.api);
        const recorded = posted.every((j) => rows.some((r) => r.jobId === j.jobId.toString() && ['paid', 'expired', 'failed', 'abandoned', 'declined'].includes(r.state)));
        return done && recorded ? true : undefined;
      },
      'every posted job to be settled and recorded',
      o.finishTimeoutMs ?? 180_000,
    ).catch((error: unknown) => o.step(`not everything finished: ${error instanceof Error ? error.message : String(error)}`));
    result.posted = posted.length;
    result.comparison = await compareLedgerWithChain({ api: run.api, chain: requester, provider, posted, balanceBefore });
    return result;
  } catch (error) {
    broke = true;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logTail(h.log)}`, { cause: error });
  } finally {
    requester?.close();
    await killDaemon(run, data.dir).catch(() => undefined);
    await server.close();
    const c = result.comparison;
    // Kept for a look when anything went wrong (the path is in the first progress line).
    if (!broke && c.lost.length + c.double.length + c.unreadable.length + c.sums.length === 0) await data.cleanup();
  }
}

/** Waits for the trial's moment: a random delay, or the first job seen in the target state. */
async function killPoint(run: DaemonRun, target: Target, random: () => number): Promise<string> {
  if (target === 'delay') {
    const ms = Math.round(random() * 8000);
    await sleep(ms);
    return `after ${ms} ms`;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const rows = await ledgerJobs(run.api).catch(() => []);
    const hit = rows.find((r) => r.state === target);
    if (hit) return `job ${hit.jobId} ${hit.state}`;
    await sleep(20);
  }
  return 'not seen in 15 s';
}
