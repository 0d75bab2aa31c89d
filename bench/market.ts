/**
 * The earning loop on the default run: the real daemon (`hearth daemon`, as `npm start` runs it
 * without Electron), its local Anvil chain (automine), the demo market and the demand simulator.
 *   node --import tsx bench/market.ts [--first-job-timeout 330]
 * Prints:
 *   figure market.loop_overhead_ratio       — (fetch + claim + deliver + commit + settle wall time) ÷ inference
 *                                             time, for one paid job of 64 recognizer inferences (PaddleOCR rec
 *                                             v4, [64,3,48,160]) posted by a requester with its own key. Steps are
 *                                             read from the ledger's per-step timestamps; inference is the worker's
 *                                             own run time (runMs). Not counted: waiting for the scheduler, the
 *                                             challenge window itself (waiting, not work), and the gap between the
 *                                             window's end and the agent's next tick. The settle transaction is
 *                                             counted. The parts are printed as market.overhead.*_ms.
 *   figure market.inference_ms              — that job's inference time (worker runMs).
 *   figure market.gas_per_unit              — gas of claim + commit + settle (provider) and post (requester)
 *   figure market.gas_per_unit.batch8         ÷ units, from the receipts; the headline is the simulator's batch
 *   figure market.gas_per_unit.batch64        size (8 units).
 *   figure market.first_paid_job_s          — from spawning the daemon on a data dir that already has a wallet
 *   figure market.first_paid_job.*_s          (registered and staked in the cpu market in a first run) to the first
 *                                             job the provider is paid for: chain ready → unlock → the simulator
 *                                             posts → idle (scripted through HEARTH_TEST_HOOKS) → claim → run →
 *                                             commit → the demo market's 30 s challenge window → settle → paid.
 *                                             The 30 s window is part of this figure by design of the market.
 * The first daemon run (the wallet set-up: import, test funds, register + stake in cpu, the CPU benchmark)
 * also hosts the overhead and gas jobs, with the simulator off so that only our two jobs run; the timed
 * second run has the simulator on, as the default run does. Takes about 4½ minutes, most of it the
 * second run waiting for the simulator's first cpu job (it posts round-robin over the demo's classes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventLog } from 'ethers';
import type { MarketJobDetail, MarketJobEvent } from '../common/ipc/groups/market.ts';
import { connectToRunning, type Connection } from '../daemon/cli/connect.ts';
import type { RequesterChain } from '../core/requester/chain.ts';
import type { PostedJob } from '../core/requester/post-job.ts';
import { chainReady, killAll, startDaemon, waitFor, type Daemon } from './support/daemon.ts';
import { BENCH_PASSWORD, jobKey, setUpProvider, startRequester, type BenchRequester } from './support/market.ts';

const { values } = parseArgs({ options: { 'first-job-timeout': { type: 'string', default: '330' } } });
const firstJobTimeoutMs = Math.max(60, Number(values['first-job-timeout']) || 330) * 1000;
const CLASS = 'cpu';
const figure = (name: string, value: number, unit: string) =>
  console.log(`figure ${name} ${unit === 'x' ? value.toFixed(3) : unit === 'gas' ? value.toFixed(0) : value.toFixed(1)} ${unit}`);
const note = (text: string) => process.stderr.write(`${text}\n`);

/** `hearth daemon` as a user starts it, with the test hooks on. */
const start = (dataDir: string, simulator: boolean): Promise<Daemon> =>
  startDaemon(dataDir, { HEARTH_TEST_HOOKS: '1', HEARTH_SIMULATOR: simulator ? 'auto' : 'off' });

type JobEvent = MarketJobEvent;

const ENDED = ['declined', 'failed', 'abandoned', 'expired', 'faulted'];

const first = (events: JobEvent[], state: string) => events.find((e) => e.state === state)?.at;
const last = (events: JobEvent[], state: string) => events.filter((e) => e.state === state).at(-1)?.at;
const span = (events: JobEvent[], from: number | undefined, to: number | undefined, what: string) => {
  if (from === undefined || to === undefined) throw new Error(`the ledger has no ${what} step: ${JSON.stringify(events)}`);
  return to - from;
};

/** Gas of the requester's post transaction, from the JobPosted log's receipt. */
async function postGas(chain: RequesterChain, job: PostedJob): Promise<bigint> {
  const market = chain.market(job.classLabel).contract;
  const logs = (await market.queryFilter(market.filters.JobPosted!(), job.postedBlock, job.postedBlock)) as EventLog[];
  const log = logs.find((l) => BigInt(l.args.getValue('jobId') as bigint) === job.jobId);
  if (!log) throw new Error(`no JobPosted log for job ${job.jobId}`);
  const receipt = await chain.provider.getTransactionReceipt(log.transactionHash);
  return receipt!.gasUsed;
}

const dataDir = await mkdtemp(join(tmpdir(), 'hearth-bench-market-'));
let daemon: Daemon | undefined;
let api: Connection | undefined;
let requester: BenchRequester | undefined;
const onSignal = () => {
  killAll();
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  // ── Run 1: a new user's set-up (simulator off), then the overhead and gas jobs. ──
  daemon = await start(dataDir, false);
  api = await connectToRunning(dataDir);
  const chain = await chainReady(api);
  const bench = await setUpProvider(api, CLASS);
  note(`CPU benchmark: ${bench.result ? (bench.result.inferencesPerSecond * bench.result.batch).toFixed(1) : '?'} units/s`);

  requester = await startRequester(dataDir, chain.network.rpcUrls[0]!, CLASS);
  const r = requester.chain;
  const posted: Record<number, PostedJob> = {};
  for (const units of [64, 8]) posted[units] = await requester.post(units, 1000 + units);
  await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
  const details: Record<number, MarketJobDetail> = {};
  for (const units of [64, 8]) {
    const key = jobKey(posted[units]!);
    details[units] = await waitFor(async () => {
      const d = await api!.client.call('market:job', { key });
      if (ENDED.includes(d.state)) throw new Error(`job ${key} ended ${d.state}: ${d.reason ?? ''}`);
      return d.state === 'paid' ? d : undefined;
    }, `the ${units}-unit job to be paid`, 150_000, 500).catch((e: Error) => {
      throw new Error(`${e.message}\n${daemon!.log().slice(-4000)}`);
    });
  }

  // Overhead of the loop on the 64-unit job (and, for comparison on stderr, the 8-unit one).
  for (const units of [64, 8]) {
    const d = details[units]!;
    const ev = d.events;
    const parts = {
      fetch: span(ev, first(ev, 'fetching'), last(ev, 'fetching'), 'fetch'),
      claim: span(ev, first(ev, 'claiming'), first(ev, 'claimed'), 'claim'),
      deliver: span(ev, first(ev, 'delivering'), first(ev, 'committing'), 'deliver'),
      commit: span(ev, first(ev, 'committing'), first(ev, 'committed'), 'commit'),
      settle: span(ev, first(ev, 'settling'), first(ev, 'paid'), 'settle'),
    };
    const runWall = span(ev, last(ev, 'running'), first(ev, 'delivering'), 'run');
    const inference = d.runMs ?? runWall;
    const overhead = Object.values(parts).reduce((a, b) => a + b, 0);
    const waits = {
      seen_to_fetch: span(ev, first(ev, 'seen'), first(ev, 'fetching'), 'seen'),
      fetched_to_claim: span(ev, last(ev, 'fetching'), first(ev, 'claiming'), 'fetched→claim'),
      claimed_to_running: span(ev, first(ev, 'claimed'), last(ev, 'running'), 'claimed→running'),
      window_and_tick: span(ev, first(ev, 'committed'), first(ev, 'settling'), 'window'),
    };
    note(`${units} units: inference ${inference.toFixed(0)} ms (run step wall ${runWall} ms); overhead ${overhead} ms = ${JSON.stringify(parts)}; not counted ${JSON.stringify(waits)}`);
    if (units === 64) {
      figure('market.loop_overhead_ratio', overhead / inference, 'x');
      figure('market.inference_ms', inference, 'ms');
      for (const [name, ms] of Object.entries(parts)) figure(`market.overhead.${name}_ms`, ms, 'ms');
      figure('market.overhead.run_step_extra_ms', runWall - inference, 'ms');
    } else {
      figure('market.loop_overhead_ratio.batch8', overhead / inference, 'x');
    }
  }

  // Gas per unit: the provider's claim + commit + settle and the requester's post.
  const perUnit: Record<number, number> = {};
  for (const units of [8, 64]) {
    const d = details[units]!;
    const byLabel = Object.fromEntries(d.txs.map((t) => [t.label, BigInt(t.gasUsed ?? 0)]));
    const post = await postGas(r, posted[units]!);
    const total = (byLabel.claim ?? 0n) + (byLabel.commit ?? 0n) + (byLabel.settle ?? 0n) + post;
    note(`${units} units gas: post ${post}, claim ${byLabel.claim}, commit ${byLabel.commit}, settle ${byLabel.settle}; total ${total}`);
    perUnit[units] = Number(total) / units;
  }
  figure('market.gas_per_unit', perUnit[8]!, 'gas');
  figure('market.gas_per_unit.batch8', perUnit[8]!, 'gas');
  figure('market.gas_per_unit.batch64', perUnit[64]!, 'gas');

  await requester.close();
  requester = undefined;
  api.close();
  api = undefined;
  await daemon.stop();
  const known = new Set(Object.values(posted).map(jobKey));

  // ── Run 2: the timed start, simulator on, wallet already there. ──
  const t0 = Date.now();
  daemon = await start(dataDir, true);
  const apiUpS = (Date.now() - t0) / 1000;
  api = await connectToRunning(dataDir);
  await chainReady(api);
  const chainReadyS = (Date.now() - t0) / 1000;
  await api.client.call('wallet:unlock', { password: BENCH_PASSWORD });
  const unlockedS = (Date.now() - t0) / 1000;
  await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
  let lastSeen = '';
  const paid = await waitFor(async () => {
    const list = await api!.client.call('market:jobs', {});
    const mine = list.jobs.filter((j) => !known.has(j.key));
    lastSeen = JSON.stringify(mine.map((j) => [j.jobId, j.state]));
    const job = mine.find((j) => j.state === 'paid');
    return job ? api!.client.call('market:job', { key: job.key }) : undefined;
  }, 'the first paid job of the second run', firstJobTimeoutMs - (Date.now() - t0), 500).catch((e: Error) => {
    figure('market.first_paid_job_s', (Date.now() - t0) / 1000, 's');
    throw new Error(`${e.message} (goal missed; jobs seen: ${lastSeen})`);
  });
  const at = (state: string) => ((first(paid.events, state) ?? Number.NaN) - t0) / 1000;
  figure('market.first_paid_job_s', at('paid'), 's');
  figure('market.first_paid_job.api_up_s', apiUpS, 's');
  figure('market.first_paid_job.chain_ready_s', chainReadyS, 's');
  figure('market.first_paid_job.unlocked_s', unlockedS, 's');
  figure('market.first_paid_job.seen_s', at('seen'), 's');
  figure('market.first_paid_job.claimed_s', at('claimed'), 's');
  figure('market.first_paid_job.committed_s', at('committed'), 's');
  figure('market.first_paid_job.paid_s', at('paid'), 's');
  note(`first paid job: ${paid.key} (${paid.units} units); jobs seen in run 2: ${lastSeen}`);
} finally {
  await requester?.close();
  api?.close();
  await daemon?.stop();
  killAll();
  await rm(dataDir, { recursive: true, force: true });
}
