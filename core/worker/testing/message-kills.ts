/**
 * Kills the real inference worker exactly when one protocol message crosses, in either
 * direction, and checks what the supervisor makes of it. Shared by the short test
 * (core/worker/message-kills.test.ts, one kill per message type) and the randomized bench
 * (bench/worker-faults.ts). The message types come from the protocol's own zod schemas, so a
 * new type has no kill point until it gets a scenario here, and the type checker says so.
 */
import assert from 'node:assert/strict';
import { hostMessage, workerMessage, type HostMessage, type Tensor, type WorkerMessage } from '../../../common/worker/protocol.ts';
import type { LaunchedProcess, Launcher } from '../../ports.ts';
import type { ResolvedModel } from '../../models/store.ts';
import type { InferenceJob, WorkerSupervisor } from '../supervisor.ts';
import { processAlive } from '../../process-alive.ts';

export type Direction = 'to-worker' | 'from-worker';
export interface KillPoint {
  direction: Direction;
  type: string;
}

/** Every message type of the protocol, read from the schemas. */
export const hostMessageTypes = hostMessage.options.map((o) => o.shape.type.value);
export const workerMessageTypes = workerMessage.options.map((o) => o.shape.type.value);

export function allKillPoints(): KillPoint[] {
  return [
    ...hostMessageTypes.map((type) => ({ direction: 'to-worker' as const, type })),
    ...workerMessageTypes.map((type) => ({ direction: 'from-worker' as const, type })),
  ];
}

const typeOf = (message: unknown): string => String((message as { type?: unknown } | null)?.type);

/**
 * Wraps a real launcher. When the armed message crosses, the worker gets SIGKILL at once:
 * a host message is written to the pipe just after the kill (it died as the message was on its
 * way; writing first would let a quick worker answer in the gap before the signal lands), a
 * worker message is delivered to the supervisor after the kill (it sent it and died).
 */
export function killingLauncher(inner: Launcher) {
  let armed: KillPoint | undefined;
  let fired: { point: KillPoint; pid: number | undefined } | undefined;
  let current: LaunchedProcess | undefined;
  let lastHostSeq = 0;
  const pids: number[] = [];
  const observers = new Set<(direction: Direction, message: unknown) => void>();

  const maybeKill = (direction: Direction, message: unknown, proc: LaunchedProcess): void => {
    for (const observe of observers) observe(direction, message);
    if (armed && armed.direction === direction && armed.type === typeOf(message)) {
      fired = { point: armed, pid: proc.pid };
      armed = undefined;
      proc.kill();
    }
  };

  const launcher: Launcher = {
    launch(spec) {
      const proc = inner.launch(spec);
      current = proc;
      if (proc.pid !== undefined) pids.push(proc.pid);
      const listeners: ((message: unknown) => void)[] = [];
      proc.onMessage((message) => {
        maybeKill('from-worker', message, proc);
        for (const listener of listeners) listener(message);
      });
      return {
        get pid() {
          return proc.pid;
        },
        send(message) {
          const seq = (message as { seq?: unknown }).seq;
          if (typeof seq === 'number') lastHostSeq = Math.max(lastHostSeq, seq);
          maybeKill('to-worker', message, proc);
          proc.send(message);
        },
        kill: () => proc.kill(),
        onMessage: (listener) => void listeners.push(listener),
        onExit: (listener) => proc.onExit(listener),
      };
    },
  };

  return {
    launcher,
    pids,
    arm(point: KillPoint) {
      armed = point;
      fired = undefined;
    },
    fired: () => fired,
    /** Sees every message, before the kill check. */
    observe(listener: (direction: Direction, message: unknown) => void): () => void {
      observers.add(listener);
      return () => observers.delete(listener);
    },
    /**
     * Sends a message the supervisor itself never sends (the host has no `unload` call, and
     * only a bad message makes the worker `log`), through the same wrapped pipe.
     */
    inject(body: Record<string, unknown>, withSeq = true): void {
      const proc = current;
      if (!proc) throw new Error('no worker to send to');
      const message = withSeq ? { ...body, seq: lastHostSeq + 1 } : body;
      maybeKill('to-worker', message, proc);
      proc.send(message);
    },
  };
}

export type KillHarness = ReturnType<typeof killingLauncher>;

/** What a case leaves to be checked: the job or call caught by the kill, and whether the death counts as a crash. */
export interface CaseOutcome {
  /** The call that was in flight; must settle, and only once. */
  caught: Promise<unknown>;
  /** Outcomes the design allows for it: 'ok' or an error code. */
  allowed: string[];
  /** False for a kill the host asked for anyway (shutdown): no crash is recorded. */
  crash: boolean;
  /** How many jobs the case put in the worker's hands (each must end done or failed exactly once). */
  jobs?: number;
}

export interface CaseContext {
  supervisor: WorkerSupervisor;
  harness: KillHarness;
  model: ResolvedModel;
  job(id?: string): InferenceJob;
  point: KillPoint;
  /** Marks where the case's own jobs begin (after any warm-up job). */
  rebase(): void;
}

type Scenario = (ctx: CaseContext) => Promise<CaseOutcome>;

const started = async (ctx: CaseContext): Promise<void> => {
  await ctx.supervisor.start();
  // A model already loaded means a run goes straight to `run` (no `load` first).
  await ctx.supervisor.run(ctx.job());
  ctx.rebase();
  ctx.harness.arm(ctx.point);
};

/** How each host message is made to cross; typed so a new message type fails to compile until it has one. */
export const toWorkerScenarios: Record<HostMessage['type'], Scenario> = {
  load: async (ctx) => {
    ctx.harness.arm(ctx.point);
    return { caught: ctx.supervisor.run(ctx.job()), allowed: ['worker_crashed'], crash: true, jobs: 1 };
  },
  run: async (ctx) => {
    await started(ctx);
    return { caught: ctx.supervisor.run(ctx.job()), allowed: ['worker_crashed'], crash: true, jobs: 1 };
  },
  cancel: async (ctx) => {
    await started(ctx);
    const id = `cancel-${Math.random().toString(36).slice(2)}`;
    // Cancel right after the run is written (a microtask: the supervisor records it as in flight
    // just after sending), so the job is certainly in the worker's hands.
    const stop = ctx.harness.observe((direction, message) => {
      if (direction === 'to-worker' && typeOf(message) === 'run' && (message as { jobId?: string }).jobId === id) {
        queueMicrotask(() => assert.ok(ctx.supervisor.cancel(id), 'the running job was cancellable'));
      }
    });
    const caught = ctx.supervisor.run(ctx.job(id));
    void caught.finally(stop).catch(() => undefined);
    return { caught, allowed: ['cancelled'], crash: true, jobs: 1 };
  },
  stats: async (ctx) => {
    await started(ctx);
    return { caught: ctx.supervisor.stats(), allowed: ['worker_crashed'], crash: true };
  },
  unload: async (ctx) => {
    await started(ctx);
    ctx.harness.inject({ type: 'unload', modelKey: ctx.model.key });
    return { caught: Promise.resolve(), allowed: ['ok'], crash: true };
  },
  shutdown: async (ctx) => {
    await started(ctx);
    return { caught: ctx.supervisor.preempt(2000), allowed: ['ok'], crash: false };
  },
};

export const fromWorkerScenarios: Record<WorkerMessage['type'], Scenario> = {
  hello: async (ctx) => {
    ctx.harness.arm(ctx.point);
    return { caught: ctx.supervisor.run(ctx.job()), allowed: ['ok', 'worker_crashed'], crash: true, jobs: 1 };
  },
  loaded: async (ctx) => {
    ctx.harness.arm(ctx.point);
    return { caught: ctx.supervisor.run(ctx.job()), allowed: ['worker_crashed'], crash: true, jobs: 1 };
  },
  // The result reached the host before the death: the job is done, and must not be run again.
  result: async (ctx) => {
    await started(ctx);
    return { caught: ctx.supervisor.run(ctx.job()), allowed: ['ok'], crash: true, jobs: 1 };
  },
  // A model whose bytes do not match its key: the worker answers `error`, then dies.
  error: async (ctx) => {
    await started(ctx);
    const wrong = { ...ctx.model, key: 'b'.repeat(64) };
    return { caught: ctx.supervisor.run({ ...ctx.job(), model: wrong }), allowed: ['model_hash_mismatch'], crash: true, jobs: 1 };
  },
  stats: async (ctx) => {
    await started(ctx);
    return { caught: ctx.supervisor.stats(), allowed: ['ok'], crash: true };
  },
  // The worker logs a message it could not parse.
  log: async (ctx) => {
    await started(ctx);
    ctx.harness.inject({ type: 'no-such-message' }, false);
    return { caught: Promise.resolve(), allowed: ['ok'], crash: true };
  },
  heartbeat: async (ctx) => {
    await started(ctx);
    return { caught: Promise.resolve(), allowed: ['ok'], crash: true };
  },
};

export function scenarioFor(point: KillPoint): Scenario {
  const table: Record<string, Scenario> = point.direction === 'to-worker' ? toWorkerScenarios : fromWorkerScenarios;
  const scenario = table[point.type];
  if (!scenario) throw new Error(`no kill scenario for ${point.direction} "${point.type}": add one to core/worker/testing/message-kills.ts`);
  return scenario;
}

/** Rejects when `promise` has not settled in `ms`: a hang is a failure, never a stuck test. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (it hangs)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : String(error);
  }
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface CaseReport {
  point: KillPoint;
  outcome: string;
  reason: string | null;
}

/**
 * One kill: sets the scene, kills at the message, and checks the promises the brief names:
 * the caught call settles once with an allowed outcome, a crash leaves a readable reason,
 * the killed process is gone, and the next job succeeds on a new worker. Ends stopped.
 */
export async function runKillCase(
  ctx: Omit<CaseContext, 'point' | 'rebase'>,
  point: KillPoint,
  input: Tensor,
  expectOutput: (t: Tensor | undefined) => void,
  /** Jobs queued beside the caught call (the bench): each must end once, done or failed with a reason. */
  extras = 0,
): Promise<CaseReport> {
  const settled = () => ctx.supervisor.status().jobsDone + ctx.supervisor.status().jobsFailed;
  let settledBefore = settled();
  const full = { ...ctx, point, rebase: () => void (settledBefore = settled()) };
  const before = ctx.supervisor.status();
  const crashesBefore = before.crashes.length === 0 ? undefined : before.crashes[0];
  const { caught, allowed, crash, jobs = 0 } = await within(scenarioFor(point)(full), 15_000, `setting up ${point.type}`);
  const others = Array.from({ length: extras }, () => outcomeOf(ctx.supervisor.run(ctx.job())));
  const outcome = await within(outcomeOf(caught), 15_000, `the call caught by the kill at ${point.direction} ${point.type}`);
  for (const other of await within(Promise.all(others), 15_000, 'the jobs queued beside it')) {
    assert.ok(['ok', 'worker_crashed', 'preempted'].includes(other), `a job queued beside the kill ended "${other}"`);
  }
  await until(() => ctx.harness.fired() !== undefined, 10_000, `the ${point.direction} "${point.type}" message`);
  const fired = ctx.harness.fired();
  assert.ok(allowed.includes(outcome), `kill at ${point.direction} ${point.type}: the caught call ended "${outcome}", expected one of ${allowed.join(', ')}`);
  const pid = fired?.pid;
  assert.ok(pid !== undefined);
  await until(() => !processAlive(pid) && ctx.supervisor.status().pid !== pid, 10_000, `worker ${pid} to be gone`);
  let reason: string | null = null;
  if (crash) {
    await until(() => ctx.supervisor.status().crashes[0] !== crashesBefore, 5000, 'a crash record');
    const record = ctx.supervisor.status().crashes[0];
    reason = record?.reason ?? null;
    assert.equal(record?.code, 'worker_crashed');
    assert.match(reason ?? '', /^The inference worker crashed \(it was killed by SIGKILL\)\.$/);
  }
  assert.equal(settled() - settledBefore, jobs + extras, `kill at ${point.direction} ${point.type}: each job caught ends exactly once`);
  // The next job runs on a fresh worker and gives the right answer.
  const next = await within(ctx.supervisor.run({ model: ctx.model, inputs: { x: input } }), 15_000, 'the job after the kill');
  expectOutput(next.outputs.y);
  const nextPid = ctx.supervisor.status().pid;
  assert.ok(nextPid !== null && nextPid !== pid, 'the job after the kill ran on a new worker');
  assert.equal(settled() - settledBefore, jobs + extras + 1, 'nothing caught by the kill was run again later');
  await within(ctx.supervisor.preempt(1000), 5000, 'stopping the worker');
  return { point, outcome, reason };
}
