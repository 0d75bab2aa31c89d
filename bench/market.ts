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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MaxUint256, Wallet, parseUnits, type EventLog } from 'ethers';
import type { Deployment } from '../common/contracts/addresses.ts';
import type { MarketJobDetail, MarketJobEvent } from '../common/ipc/groups/market.ts';
import { connectToRunning, type Connection } from '../daemon/cli/connect.ts';
import { builtinCatalog } from '../core/models/catalog.ts';
import { devAccounts } from '../core/chain/devnet.ts';
import { connectRequesterChain, readUint, transact, type RequesterChain } from '../core/requester/chain.ts';
import { startJobServer, type JobServer } from '../core/requester/job-server.ts';
import { postJob, type PostedJob } from '../core/requester/post-job.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'first-job-timeout': { type: 'string', default: '330' } } });
const firstJobTimeoutMs = Math.max(60, Number(values['first-job-timeout']) || 330) * 1000;
const PASSWORD = 'correct horse battery';
const CLASS = 'cpu';
const MODEL = 'paddleocr-rec-v4';
const figure = (name: string, value: number, unit: string) =>
  console.log(`figure ${name} ${unit === 'x' ? value.toFixed(3) : unit === 'gas' ? value.toFixed(0) : value.toFixed(1)} ${unit}`);
const note = (text: string) => process.stderr.write(`${text}\n`);

interface Daemon {
  log(): string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** `hearth daemon` as a user starts it, with the test hooks on; resolves on its "Hearth ready at" line. */
async function startDaemon(dataDir: string, simulator: boolean): Promise<Daemon> {
  const child = spawn(process.execPath, [join(root, 'bin', 'hearth.mjs'), 'daemon', '--data-dir', dataDir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', HEARTH_TEST_HOOKS: '1', HEARTH_SIMULATOR: simulator ? 'auto' : 'off' },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the daemon did not start in 60 s\n${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (stdout.includes('Hearth ready at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the daemon exited (${code}) before it was ready\n${stderr}`));
    });
  });
  return { log: () => stderr, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}


async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type JobEvent = MarketJobEvent;

const ENDED = ['declined', 'failed', 'abandoned', 'expired', 'faulted'];

const chainReady = (api: Connection) =>
  waitFor(async () => {
    const s = await api.client.call('chain:status', {});
    if (s.devnet.state === 'failed') throw new Error(`devnet failed: ${s.devnet.error ?? ''}`);
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  }, 'the local chain', 120_000);

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
let requester: RequesterChain | undefined;
let server: JobServer | undefined;
const onSignal = () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  // ── Run 1: a new user's set-up (simulator off), then the overhead and gas jobs. ──
  daemon = await startDaemon(dataDir, false);
  api = await connectToRunning(dataDir);
  const chain = await chainReady(api);
  const key = Wallet.createRandom().privateKey;
  await api.client.call('wallet:import', { kind: 'privateKey', privateKey: key, password: PASSWORD });
  await api.client.call('wallet:get-test-funds', {});
  await waitFor(async () => {
    const p = await api!.client.call('market:preview-register', { classLabel: CLASS, stake: '130' });
    return p.problem === null ? p : undefined;
  }, 'test funds', 60_000);
  await api.client.call('market:register', { classLabel: CLASS, stake: '130' });
  // The CPU benchmark, as the Devices page offers: without it the market assumes 0.1 units/s on a CPU
  // and declines a 64-unit job as too slow for any deadline the demo market allows.
  await api.client.call('hardware:benchmark', { deviceId: 'cpu' });
  const bench = await waitFor(async () => {
    const s = await api!.client.call('hardware:benchmark-status', {});
    if (s.state === 'failed') throw new Error(`the CPU benchmark failed: ${s.error?.message ?? ''}`);
    return s.state === 'done' ? s : undefined;
  }, 'the CPU benchmark', 120_000, 500);
  note(`CPU benchmark: ${bench.result ? (bench.result.inferencesPerSecond * bench.result.batch).toFixed(1) : '?'} units/s`);

  // A requester with its own key (dev account 12: not the deployer, the CLI or the simulator).
  const deployment = JSON.parse(await readFile(join(dataDir, 'chain', 'deployment.json'), 'utf8')) as Deployment;
  requester = await connectRequesterChain(chain.network.rpcUrls[0]!, deployment, devAccounts()[12]!.privateKey);
  const r = requester;
  await r.send(() => transact(r.faucet!, 'drip', r.address));
  const marketAddress = r.market(CLASS).deployment.address;
  // Approved once up front, as the simulator does, so each post is a plain `post` (no permit).
  if ((await readUint(r.token, 'allowance', r.address, marketAddress)) < MaxUint256 / 2n) {
    await r.send(() => transact(r.token, 'approve', marketAddress, MaxUint256));
  }
  server = await startJobServer();
  const entry = builtinCatalog.find((m) => m.id === MODEL)!;
  const posted: Record<number, PostedJob> = {};
  for (const units of [64, 8]) {
    posted[units] = await postJob({
      chain: r,
      server,
      classLabel: CLASS,
      model: { id: MODEL, sha256: entry.sha256 },
      inputs: { seed: 1000 + units },
      units,
      maxPricePerUnit: parseUnits('0.02', 18),
      deadlineSeconds: 300,
    });
  }
  const keyOf = (job: PostedJob) => `${job.chainId}:${job.market.toLowerCase()}:${job.jobId}`;
  await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
  const details: Record<number, MarketJobDetail> = {};
  for (const units of [64, 8]) {
    const jobKey = keyOf(posted[units]!);
    details[units] = await waitFor(async () => {
      const d = await api!.client.call('market:job', { key: jobKey });
      if (ENDED.includes(d.state)) throw new Error(`job ${jobKey} ended ${d.state}: ${d.reason ?? ''}`);
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

  await server.close();
  server = undefined;
  requester.close();
  requester = undefined;
  api.close();
  api = undefined;
  await daemon.stop();
  const known = new Set(Object.values(posted).map(keyOf));

  // ── Run 2: the timed start, simulator on, wallet already there. ──
  const t0 = Date.now();
  daemon = await startDaemon(dataDir, true);
  const apiUpS = (Date.now() - t0) / 1000;
  api = await connectToRunning(dataDir);
  await chainReady(api);
  const chainReadyS = (Date.now() - t0) / 1000;
  await api.client.call('wallet:unlock', { password: PASSWORD });
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
  server?.close().catch(() => undefined);
  requester?.close();
  api?.close();
  await daemon?.stop();
  for (const c of children) c.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}
