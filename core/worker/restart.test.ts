import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock, LaunchedProcess, LaunchSpec, Launcher, TimerHandle } from '../ports.ts';
import { createWorkerSupervisor, type SupervisorOptions } from './supervisor.ts';
import { memoryLogger, tempDir } from './test-helpers.ts';
import { steppingClock } from '../test-support.ts';

function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; every?: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => (timers.set(nextId, { at: now + ms, fn }), { id: nextId++ }),
    setInterval: (fn, ms) => (timers.set(nextId, { at: now + ms, every: ms, fn }), { id: nextId++ }),
    clearTimeout: (h: TimerHandle) => void timers.delete((h as { id: number }).id),
    clearInterval: (h: TimerHandle) => void timers.delete((h as { id: number }).id),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, timer] = due;
      now = timer.at;
      if (timer.every) timer.at += timer.every;
      else timers.delete(id);
      timer.fn();
    }
    now = end;
  };
  /** One-shot timers still waiting (intervals such as the heartbeat watchdog are not counted). */
  const pendingTimeouts = () => [...timers.values()].filter((t) => t.every === undefined).length;
  return { clock, advance, pendingTimeouts };
}

interface FakeChild extends LaunchedProcess {
  spec: LaunchSpec;
  emit(message: unknown): void;
  exit(code: number | null, signal?: string | null): void;
  sent: unknown[];
  killed: boolean;
}

function fakeLauncher() {
  const children: FakeChild[] = [];
  const launcher: Launcher = {
    launch(spec) {
      const messageListeners: ((m: unknown) => void)[] = [];
      const exitListeners: ((c: number | null, s: string | null) => void)[] = [];
      const child: FakeChild = {
        spec,
        pid: 1000 + children.length,
        sent: [],
        killed: false,
        send: (m) => void child.sent.push(m),
        kill: () => {
          child.killed = true;
          child.exit(null, 'SIGKILL');
        },
        onMessage: (l) => void messageListeners.push(l),
        onExit: (l) => void exitListeners.push(l),
        emit: (m) => messageListeners.forEach((l) => l(m)),
        exit: (c, s = null) => exitListeners.forEach((l) => l(c, s)),
      };
      children.push(child);
      return child;
    },
  };
  return { launcher, children };
}

/** A supervisor over the fake launcher, with a fixed entry, a temp folder and no models; `options` adds the rest. */
function fakeSupervisor(launcher: Launcher, clock: Clock, options: Omit<SupervisorOptions, 'launcher' | 'clock' | 'logger' | 'workDir' | 'entry' | 'modelPaths'>) {
  return createWorkerSupervisor({ launcher, clock, logger: memoryLogger(), workDir: tempDir(), entry: { modulePath: '/worker.js', execArgv: [] }, modelPaths: [], ...options });
}

const hello = (seq = 1) => ({ type: 'hello', seq, protocol: 1, pid: 4242, ortVersion: 'fake' });

test('crashes restart with capped exponential backoff, and the supervisor gives up after too many in a row', async () => {
  const { clock, advance } = fakeClock();
  const { launcher, children } = fakeLauncher();
  const supervisor = fakeSupervisor(launcher, clock, {
    readRss: () => undefined,
    restart: { baseMs: 100, maxMs: 350, maxConsecutive: 4 },
    env: { PATH: '/bin', HEARTH_WALLET_PASSWORD: 'secret', RPC_URL: 'http://key@rpc' },
  });
  const ready = supervisor.start();
  assert.equal(children.length, 1);
  assert.equal(children[0]?.spec.env.HEARTH_WALLET_PASSWORD, undefined);
  assert.equal(children[0]?.spec.env.RPC_URL, undefined);
  assert.equal(children[0]?.spec.env.PATH, '/bin');
  assert.ok(children[0]?.spec.execArgv?.some((a) => a.startsWith('--max-old-space-size=')));
  children[0]?.emit(hello());
  await ready;
  assert.equal(supervisor.state, 'ready');

  const delays: number[] = [];
  for (let crash = 1; crash <= 4; crash++) {
    const count: number = children.length;
    children.at(-1)?.exit(1);
    assert.equal(supervisor.state, 'exited');
    let waited = 0;
    while (children.length === count && waited < 2000) {
      advance(10);
      waited += 10;
    }
    delays.push(waited);
  }
  assert.deepEqual(delays, [100, 200, 350, 350]);
  assert.deepEqual(supervisor.status().crashes.map((c) => c.code), ['worker_crashed', 'worker_crashed', 'worker_crashed', 'worker_crashed']);
  assert.match(supervisor.status().crashes[0]?.reason ?? '', /exited with code 1/);

  // The fifth crash in a row: no more restarts, and the status says why.
  const count: number = children.length;
  children.at(-1)?.exit(null, 'SIGSEGV');
  advance(5000);
  assert.equal(children.length, count);
  assert.match(supervisor.status().note ?? '', /crashed 5 times in a row/);
  assert.match(supervisor.status().crashes[0]?.reason ?? '', /killed by SIGSEGV/);
});

test('a worker that never says hello is killed at the start timeout; one that stops heartbeating is killed as unresponsive', async () => {
  const { clock, advance } = fakeClock();
  const { launcher, children } = fakeLauncher();
  const supervisor = fakeSupervisor(launcher, clock, {
    readRss: () => undefined,
    startTimeoutMs: 1000,
    heartbeatIntervalMs: 100,
    heartbeatTimeoutMs: 500,
    restart: { baseMs: 10, maxMs: 10 },
  });
  const ready = supervisor.start().catch((e: { code: string }) => e.code);
  advance(1000);
  assert.equal(children[0]?.killed, true);
  assert.equal(await ready, 'worker_start_failed');
  advance(10);
  assert.equal(children.length, 2);
  children[1]?.emit(hello());
  advance(400);
  assert.equal(children[1]?.killed, false);
  children[1]?.emit({ type: 'heartbeat', seq: 2, busy: false, rssBytes: 1e6 });
  advance(400);
  assert.equal(children[1]?.killed, false);
  advance(300);
  assert.equal(children[1]?.killed, true);
  assert.equal(supervisor.status().crashes[0]?.code, 'worker_unresponsive');
  // The replacement (still starting) is stopped: asked first, killed when the bound's grace runs out.
  const stopping = supervisor.preempt(100);
  advance(100);
  assert.equal((await stopping).killed, true);
  assert.equal(supervisor.state, 'exited');
});

test('memory reported over the cap kills the worker with a clear reason', async () => {
  const { clock, advance } = fakeClock();
  const { launcher, children } = fakeLauncher();
  let rss = 100 * 1024 * 1024;
  const supervisor = fakeSupervisor(launcher, clock, {
    readRss: () => rss,
    memoryLimitMb: 512,
    memorySampleMs: 100,
  });
  const ready = supervisor.start();
  children[0]?.emit(hello());
  await ready;
  advance(500);
  assert.equal(children[0]?.killed, false);
  rss = 600 * 1024 * 1024;
  advance(100);
  assert.equal(children[0]?.killed, true);
  assert.match(supervisor.status().crashes[0]?.reason ?? '', /exceeded its memory limit \(600\.0 MB > 512\.0 MB\)/);
  await supervisor.preempt(100);
});

test('a job cancelled while queued inside the worker leaves no time limit behind once the worker lets it go', async () => {
  const { clock, advance, pendingTimeouts } = fakeClock();
  const { launcher, children } = fakeLauncher();
  const model = { key: 'a'.repeat(64), path: '/m.onnx', sizeBytes: 1 };
  const supervisor = createWorkerSupervisor({ launcher, clock, logger: memoryLogger(), workDir: tempDir(), entry: { modulePath: '/worker.js', execArgv: [] }, modelPaths: [model.path], readRss: () => undefined, transferDir: false });
  const ready = supervisor.start();
  const child = children[0] as FakeChild;
  child.emit(hello());
  await ready;
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  const sent = (type: string) => child.sent.filter((m) => (m as { type: string }).type === type) as { seq: number; jobId?: string }[];
  const input = { x: { dtype: 'float32' as const, dims: [1, 4], data: new Float32Array(4) } };
  const first = supervisor.run({ id: 'A', model, inputs: input });
  const second = supervisor.run({ id: 'B', model, inputs: input }).catch((e: { code?: string }) => e.code);
  await flush();
  const spec = [{ name: 'x', dtype: 'float32', shape: [null, 4] }];
  child.emit({ type: 'loaded', seq: 2, re: sent('load')[0]?.seq, modelKey: model.key, provider: 'cpu', fallbacks: [], inputs: spec, outputs: spec, loadMs: 1 });
  await flush();
  const runs = sent('run');
  assert.equal(runs.length, 2, 'both jobs are handed to the worker');
  supervisor.cancel('B');
  assert.equal(await second, 'cancelled');
  child.emit({ type: 'result', seq: 3, re: runs[0]?.seq, jobId: 'A', provider: 'cpu', runMs: 1, outputs: { x: { dtype: 'float32', dims: [1, 4], data: new Float32Array(4) } } });
  await first;
  await flush();
  child.emit({ type: 'error', seq: 4, re: runs[1]?.seq, jobId: 'B', code: 'cancelled', message: 'The job was cancelled.' });
  await flush();
  advance(1000); // the cancel's own check: B has left, so nothing is killed
  assert.equal(child.killed, false);
  // A 60 s limit left armed for B would keep the host's event loop busy for a minute.
  assert.equal(pendingTimeouts(), 0);
  const gone = supervisor.preempt(100);
  advance(100);
  await gone;
});

test('the heartbeat watchdog counts its own ticks: a wall clock stepped a day forward kills nothing, one stepped back still catches a silent worker', async () => {
  const clock = steppingClock();
  const { launcher, children } = fakeLauncher();
  const supervisor = fakeSupervisor(launcher, clock, {
    readRss: () => undefined,
    heartbeatIntervalMs: 40,
    heartbeatTimeoutMs: 400,
    restart: { baseMs: 10, maxMs: 10 },
  });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const ready = supervisor.start();
  children[0]?.emit(hello());
  await ready;
  // A day forward, then a short real pause with no heartbeat: read in wall time it was a day of silence.
  clock.jump(86_400_000);
  await wait(120);
  assert.equal(children[0]?.killed, false, 'a clock step is not a silent worker');
  children[0]?.emit({ type: 'heartbeat', seq: 2, busy: false, rssBytes: 1e6 });
  // A day back, then real silence past the timeout: read in wall time it would not end for a day.
  clock.jump(-2 * 86_400_000);
  const caughtBy = Date.now() + 5000;
  while (!children[0]?.killed && Date.now() < caughtBy) await wait(20);
  assert.equal(children[0]?.killed, true, 'a silent worker is caught whatever the clock says');
  assert.equal(supervisor.status().crashes[0]?.code, 'worker_unresponsive');
  await supervisor.stop(200);
});
