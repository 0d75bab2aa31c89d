/**
 * Soak: the built daemon (`hearth daemon`, default run: local chain, demand simulator) for a
 * long while under everything a user's machine puts on it at once, watched from outside.
 *   node --import tsx bench/soak.ts [--seconds 600]        (or HEARTH_SOAK_SECONDS=600)
 * Set-up first (not timed): a provider registered in the cpu market with the CPU benchmark done,
 * a requester with its own key, the activity scripted idle (HEARTH_TEST_HOOKS=1) so jobs run.
 * Then, for the whole soak:
 *   - clients connecting and leaving over WebSocket: each subscribes to events, makes a few
 *     read calls chosen from every read channel, lingers, and closes; every 5th drops its
 *     socket mid-call without a close frame; every 7th tries a wrong token and is refused;
 *   - one client that stays (an open window), subscribed to every event;
 *   - a paid job of 8 units posted to the cpu market every 30 s, besides the simulator's.
 * The daemon's RSS (VmRSS), open fds (by kind) and threads are sampled every 2 s. Growth is the
 * median of the last minute minus the median of the first minute after a warm-up (20 % of
 * the run, at most 60 s), so one GC cycle or one job in flight does not read as a leak.
 * Prints figure soak.{rss_growth_mb, fd_growth, socket_growth, thread_growth, calls, clients,
 * events, jobs, seconds}. The daemon exposes no handle count, so fds by kind (sockets, pipes,
 * eventfds/timers, files) and threads stand for the handles.
 * Exits 1 if the daemon dies, a read call fails or no job completes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { contract, eventNames, type HearthContract } from '../common/ipc/contract.ts';
import type { CallInput, CallName } from '../common/ipc/define.ts';
import { connectToRunning, type Connection } from '../daemon/cli/connect.ts';
import { buildDaemon, chainReady, descendants, fdKinds, killAll, rssMb, sleep, startDaemon, threadCount, type Daemon } from './support/daemon.ts';
import { setUpProvider, startRequester, type BenchRequester } from './support/market.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
const seconds = Math.max(30, Number(values.seconds ?? process.env.HEARTH_SOAK_SECONDS ?? 600) || 600);
const warmupS = Math.min(60, Math.round(seconds * 0.2));
const windowS = Math.min(60, (seconds - warmupS) / 3);
const CHURNERS = 4;
const POST_EVERY_MS = 30_000;
const CLASS = 'cpu';
const figure = (name: string, value: number, unit: string, digits = 0) => console.log(`figure ${name} ${value.toFixed(digits)} ${unit}`);
const note = (text: string) => process.stderr.write(`# ${text}\n`);

if (process.platform !== 'linux') {
  console.log('# soak reads /proc: Linux only');
  process.exit(0);
}

type ReadCall = { [K in CallName<HearthContract>]: { channel: K; input: CallInput<HearthContract, K> } }[CallName<HearthContract>];

/** Every call that only reads, with an input a window would send. `market:job` gets a real key. */
function readCalls(address: string, jobKey: string | undefined): ReadCall[] {
  return [
    { channel: 'app:status', input: {} },
    { channel: 'settings:get', input: {} },
    { channel: 'hardware:list', input: {} },
    { channel: 'hardware:history', input: { limit: 60 } },
    { channel: 'hardware:benchmark-status', input: {} },
    { channel: 'wallet:status', input: {} },
    { channel: 'wallet:preview-send', input: { to: address, amount: '0.001' } },
    { channel: 'chain:status', input: {} },
    { channel: 'chain:networks', input: {} },
    { channel: 'chain:transactions', input: {} },
    { channel: 'scheduler:status', input: {} },
    { channel: 'models:list', input: {} },
    { channel: 'worker:status', input: {} },
    { channel: 'market:status', input: {} },
    { channel: 'market:jobs', input: { limit: 50 } },
    { channel: 'market:earnings', input: {} },
    { channel: 'market:preview-register', input: { classLabel: CLASS, stake: '1' } },
    { channel: 'positions:get', input: {} },
    { channel: 'positions:history', input: { days: 30 } },
    { channel: 'positions:preview', input: { kind: 'lend', amount: '1' } },
    { channel: 'update:status', input: {} },
    ...(jobKey ? [{ channel: 'market:job', input: { key: jobKey } } as const] : []),
  ];
}
// The list above must name every read channel there is: a new one fails here until it is added.
const WRITES = new Set(['hardware:refresh', 'hardware:benchmark', 'hardware:set-rate', 'hardware:configure', 'settings:update', 'wallet:create', 'wallet:confirm', 'wallet:cancel-create', 'wallet:import', 'wallet:unlock', 'wallet:lock', 'wallet:export', 'wallet:add-account', 'wallet:select-account', 'wallet:set-keychain', 'wallet:send', 'wallet:get-test-funds', 'chain:add-network', 'chain:remove-network', 'chain:set-deployment', 'chain:select-network', 'chain:speed-up', 'chain:cancel', 'scheduler:pause', 'scheduler:resume', 'scheduler:test-drive', 'market:register', 'market:reconcile', 'positions:act', 'update:check', 'update:restart', 'console:open', 'console:input', 'console:resize', 'console:ack', 'console:close']);
const covered = new Set(readCalls('0x', 'k').map((c) => c.channel));
const missing = Object.keys(contract.calls).filter((c) => !WRITES.has(c) && !covered.has(c as CallName<HearthContract>));
if (missing.length > 0) throw new Error(`soak.ts does not call these read channels yet: ${missing.join(', ')}`);

const counts = { calls: 0, callErrors: 0, clients: 0, abrupt: 0, refused: 0, events: 0, posted: 0 };
const errors = new Map<string, number>();
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** One visit: connect, subscribe, a few reads, linger, leave. */
async function visit(dataDir: string, address: string, jobKey: () => string | undefined): Promise<void> {
  const api = await connectToRunning(dataDir);
  counts.clients++;
  const offs = ['hardware:telemetry', 'scheduler:status', 'market:status', 'chain:status'].map((e) => api.client.on(e as 'scheduler:status', () => counts.events++));
  try {
    const calls = readCalls(address, jobKey());
    for (let i = 3 + Math.floor(Math.random() * 8); i > 0; i--) {
      const c = pick(calls);
      counts.calls++;
      await (api.client.call as (ch: string, input: unknown) => Promise<unknown>)(c.channel, c.input).catch((e: Error) => {
        counts.callErrors++;
        const key = `${c.channel}: ${e.message.slice(0, 120)}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      });
      await sleep(Math.random() * 200);
    }
    await sleep(Math.random() * 2000);
  } finally {
    for (const off of offs) off();
    api.close();
  }
}

/** A raw socket: with the token, it sends a call and vanishes without a close frame; without, it is refused. */
function rawVisit(port: number, token: string, abrupt: boolean): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(abrupt ? token : 'not-the-token-0000')}`);
    const done = () => resolve();
    ws.once('open', () => {
      if (!abrupt) return;
      counts.abrupt++;
      counts.calls++;
      ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'market:jobs', payload: { limit: 100 } }));
      setTimeout(() => {
        ws.terminate();
        done();
      }, Math.random() * 20);
    });
    ws.once('error', done);
    ws.once('close', () => {
      if (!abrupt) counts.refused++;
      done();
    });
  });
}

type Sample = { t: number; rss: number; fds: number; sockets: number; threads: number; children: number };
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

buildDaemon();
const dataDir = await mkdtemp(join(tmpdir(), 'hearth-soak-'));
let daemon: Daemon | undefined;
let watcher: Connection | undefined;
let requester: BenchRequester | undefined;
process.once('SIGINT', () => {
  killAll();
  process.exit(130);
});
let failed = false;
try {
  daemon = await startDaemon(dataDir, { HEARTH_TEST_HOOKS: '1', HEARTH_SIMULATOR: 'auto' });
  const d = daemon;
  let died = false;
  void d.exited.then(() => (died = true));
  watcher = await connectToRunning(dataDir);
  const chain = await chainReady(watcher);
  await setUpProvider(watcher, CLASS);
  // A send preview to the wallet's own address: a read that needs an address.
  const address = (await watcher.client.call('wallet:status', {})).selected ?? '0x0000000000000000000000000000000000000001';
  requester = await startRequester(dataDir, chain.network.rpcUrls[0]!, CLASS);
  await watcher.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 1e6 }] });
  for (const e of eventNames) watcher.client.on(e, () => counts.events++);
  note(`set up; soaking for ${seconds} s (warm-up ${warmupS} s, windows of ${windowS.toFixed(0)} s)`);

  const t0 = Date.now();
  const end = t0 + seconds * 1000;
  const samples: Sample[] = [];
  let lastKey: string | undefined;
  const r = requester;
  const loops = [
    // Clients coming and going.
    ...Array.from({ length: CHURNERS }, async () => {
      for (let n = 1; Date.now() < end && !died; n++) {
        if (n % 7 === 0) await rawVisit(d.runtime.port, d.runtime.token, false);
        else if (n % 5 === 0) await rawVisit(d.runtime.port, d.runtime.token, true);
        else await visit(dataDir, address, () => lastKey).catch((e: Error) => errors.set(`connect: ${e.message}`, (errors.get(`connect: ${e.message}`) ?? 0) + 1));
      }
    }),
    // Jobs.
    (async () => {
      // None in the last minute (or quarter of a short run): a job posted then would not finish.
      for (let seed = 1; Date.now() < end - Math.min(60_000, seconds * 250) && !died; seed++) {
        const job = await r.post(8, seed, 240).catch((e: Error) => note(`post failed: ${e.message}`));
        if (job) counts.posted++;
        await sleep(POST_EVERY_MS);
      }
    })(),
    // The outside view.
    (async () => {
      while (Date.now() < end && !died) {
        const fds = fdKinds(d.pid);
        samples.push({ t: (Date.now() - t0) / 1000, rss: rssMb(d.pid), fds: fds.total, sockets: fds.socket, threads: threadCount(d.pid), children: descendants(d.pid).length });
        const jobs = await watcher.client.call('market:jobs', { limit: 1 }).catch(() => undefined);
        lastKey = jobs?.jobs[0]?.key ?? lastKey;
        await sleep(2000);
      }
    })(),
  ];
  await Promise.all(loops);
  if (died) throw new Error(`the daemon died during the soak\n${d.log().slice(-4000)}`);

  const jobs = await watcher.client.call('market:jobs', { limit: 500 });
  const byState: Record<string, number> = {};
  for (const j of jobs.jobs) byState[j.state] = (byState[j.state] ?? 0) + 1;
  const done = (byState['paid'] ?? 0) + (byState['committed'] ?? 0) + (byState['settling'] ?? 0);

  const first = samples.filter((s) => s.t >= warmupS && s.t < warmupS + windowS);
  const last = samples.filter((s) => s.t >= seconds - windowS);
  const growth = (k: keyof Sample) => median(last.map((s) => s[k])) - median(first.map((s) => s[k]));
  const spread = (k: keyof Sample) => Math.max(...first.map((s) => s[k])) - Math.min(...first.map((s) => s[k]));
  figure('soak.rss_growth_mb', growth('rss'), 'MB', 1);
  figure('soak.fd_growth', growth('fds'), 'fds');
  figure('soak.socket_growth', growth('sockets'), 'sockets');
  figure('soak.thread_growth', growth('threads'), 'threads');
  figure('soak.calls', counts.calls, 'calls');
  figure('soak.clients', counts.clients + counts.abrupt + counts.refused, 'clients');
  figure('soak.events', counts.events, 'events');
  figure('soak.jobs', done, 'jobs');
  figure('soak.seconds', (Date.now() - t0) / 1000, 's');
  note(`first window (${first.length} samples) → last (${last.length}): RSS ${median(first.map((s) => s.rss)).toFixed(1)} → ${median(last.map((s) => s.rss)).toFixed(1)} MB (first window spread ${spread('rss').toFixed(1)} MB); fds ${median(first.map((s) => s.fds))} → ${median(last.map((s) => s.fds))} (spread ${spread('fds')}); sockets ${median(first.map((s) => s.sockets))} → ${median(last.map((s) => s.sockets))}; threads ${median(first.map((s) => s.threads))} → ${median(last.map((s) => s.threads))}; child processes ${median(first.map((s) => s.children))} → ${median(last.map((s) => s.children))}`);
  note(`clients: ${counts.clients} full visits, ${counts.abrupt} dropped mid-call, ${counts.refused} refused (wrong token); calls ${counts.calls}, failed ${counts.callErrors}; jobs posted by the bench ${counts.posted}; ledger ${JSON.stringify(byState)}`);
  note(`RSS samples (t s: MB): ${samples.filter((_, i) => i % 15 === 0).map((s) => `${s.t.toFixed(0)}:${s.rss.toFixed(0)}`).join(' ')}`);
  for (const [k, n] of errors) note(`error ×${n}: ${k}`);
  if (counts.callErrors > 0 || errors.size > 0) failed = true;
  if (done === 0) {
    note('no job was completed during the soak');
    failed = true;
  }
} finally {
  watcher?.close();
  await requester?.close();
  await daemon?.stop();
  killAll();
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
