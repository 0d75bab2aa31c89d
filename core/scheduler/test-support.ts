/**
 * Fakes for replaying activity traces on fake time: a clock, a job source whose jobs take
 * fake time to start, run and stop, and a harness wiring them to a scheduler.
 */
import { defaultSettings } from '../../common/settings.ts';
import type { SchedulerSettings } from '../../common/scheduler.ts';
import type { SchedulerStatus } from '../../common/ipc/groups/scheduler.ts';
import { createScriptedActivity } from '../activity/scripted.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import { createScriptedGpuSignals } from './gpu-signals.ts';
import type { JobHandle, JobOutcome, JobSource } from './jobs.ts';
import { createScheduler } from './scheduler.ts';

type Timer = { id: number; at: number; fn: () => void; every: number | null };

/** Flushes pending promise callbacks (several rounds, for chains). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}

export function createFakeClock(start = Date.UTC(2026, 0, 5, 12, 0, 0)) {
  let now = start;
  // Advances with time but not with jumps, like the OS's monotonic clock.
  let mono = 0;
  let nextId = 1;
  const timers = new Map<number, Timer>();
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      const t = { id: nextId++, at: now + Math.max(0, ms), fn, every: null };
      timers.set(t.id, t);
      return { id: t.id };
    },
    clearTimeout(h) {
      timers.delete((h as { id: number }).id);
    },
    setInterval(fn, ms) {
      const t = { id: nextId++, at: now + Math.max(1, ms), fn, every: Math.max(1, ms) };
      timers.set(t.id, t);
      return { id: t.id };
    },
    clearInterval(h: TimerHandle) {
      timers.delete((h as { id: number }).id);
    },
  };
  return {
    clock,
    /** Moves time forward, firing every timer due on the way in order, with promise callbacks between. */
    async advance(ms: number): Promise<void> {
      const end = now + ms;
      await flush();
      for (;;) {
        let due: Timer | undefined;
        for (const t of timers.values()) if (t.at <= end && (!due || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
        if (!due) break;
        mono += Math.max(0, due.at - now);
        now = Math.max(now, due.at);
        if (due.every === null) timers.delete(due.id);
        else due.at += due.every;
        due.fn();
        await flush();
      }
      mono += Math.max(0, end - now);
      now = end;
      await flush();
    },
    /** Monotonic milliseconds: moved by advance(), not by jump(). */
    monotonic: () => mono,
    /** The wall clock steps (NTP, the user changing it): timers keep their monotonic delays. */
    jump(ms: number): void {
      now += ms;
      for (const t of timers.values()) t.at += ms;
    },
  };
}
export type FakeClock = ReturnType<typeof createFakeClock>;

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Jobs that take fake time: `startMs` to load, `runMs` to finish, `preemptMs` to be gone after preempt(). */
export function createFakeJobs(clock: Clock, opts: { startMs?: number; runMs?: number; preemptMs?: number } = {}) {
  const startMs = opts.startMs ?? 500;
  const runMs = opts.runMs ?? 60_000;
  const preemptMs = opts.preemptMs ?? 100;
  let n = 0;
  let alive: { id: string; startedAt: number } | null = null;
  const log: { id: string; outcome: JobOutcome['kind']; at: number }[] = [];
  const source: JobSource = {
    kind: 'practice',
    describe: () => 'fake practice jobs',
    start(devices): JobHandle | { none: string } {
      if (alive) throw new Error('scheduler started a second job while one is alive');
      const id = `job-${++n}`;
      alive = { id, startedAt: clock.now() };
      let settle!: (o: JobOutcome) => void;
      const done = new Promise<JobOutcome>((r) => (settle = r));
      let finished = false;
      const finish = (o: JobOutcome): void => {
        if (finished) return;
        finished = true;
        clock.clearTimeout(runTimer);
        alive = null;
        log.push({ id, outcome: o.kind, at: clock.now() });
        settle(o);
      };
      const started = new Promise<void>((r) => clock.setTimeout(r, startMs));
      const runTimer = clock.setTimeout(() => finish({ kind: 'completed' }), startMs + runMs);
      let preempting: Promise<void> | null = null;
      return {
        job: { id, kind: 'practice', label: 'fake model', startedAt: clock.now(), deviceId: devices[0] ?? null },
        done,
        started,
        preempt() {
          preempting ??= new Promise<void>((r) =>
            clock.setTimeout(() => {
              finish({ kind: 'preempted' });
              r();
            }, preemptMs),
          );
          return preempting;
        },
      };
    },
  };
  return { source, log, alive: () => alive, preemptMs };
}

/** A scheduler wired to scripted activity, apps, GPU readings and in-memory settings. */
export function createHarness(
  overrides: Partial<SchedulerSettings> = {},
  jobOpts?: Parameters<typeof createFakeJobs>[1],
  start?: number,
  options: { monotonicActivity?: boolean; jobSource?: JobSource } = {},
) {
  const fake = createFakeClock(start);
  const { clock } = fake;
  const activity = createScriptedActivity(clock, 0, options.monotonicActivity ? fake.monotonic : undefined);
  const gpu = createScriptedGpuSignals([{ deviceId: 'nvidia:0', name: 'GPU 0', temperatureC: 50, powerDrawW: 60, otherProcesses: [] }]);
  let settings: SchedulerSettings = { ...defaultSettings().scheduler, ...overrides };
  let apps = new Set<string>();
  const jobs = createFakeJobs(clock, jobOpts);
  const statuses: SchedulerStatus[] = [];
  let devices = ['nvidia:0'];
  const scheduler = createScheduler({
    clock,
    logger: silentLogger,
    activity: activity.source,
    settings: () => settings,
    savePause: async (pause) => {
      settings = { ...settings, pause };
    },
    apps: async () => ({ names: new Set(apps) }),
    fullscreen: async () => ({ fullscreen: false, app: null }),
    gpu: gpu.signals,
    jobs: options.jobSource ?? jobs.source,
    enabledDevices: () => devices,
    onStatus: (s) => statuses.push(s),
  });
  return {
    fake,
    clock,
    activity,
    gpu,
    jobs,
    scheduler,
    statuses,
    status: () => scheduler.status(),
    /** Stops the scheduler while fake time runs, so a running job's preempt can finish. */
    async stop(): Promise<void> {
      await Promise.all([scheduler.stop(), fake.advance(5000)]);
    },
    setSettings(patch: Partial<SchedulerSettings>): void {
      settings = { ...settings, ...patch };
      scheduler.refresh();
    },
    setApps(names: string[]): void {
      apps = new Set(names);
    },
    setDevices(next: string[]): void {
      devices = next;
      scheduler.refresh();
    },
    setGpu(temperatureC: number | null, other: string[] = [], powerDrawW: number | null = 60): void {
      gpu.set([{ deviceId: 'nvidia:0', name: 'GPU 0', temperatureC, powerDrawW, otherProcesses: other }]);
    },
  };
}
