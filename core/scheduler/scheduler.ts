import type { PauseState, SchedulerSettings } from '../../common/scheduler.ts';
import type { SchedulerState, SchedulerStatus, SignalStatus, Veto } from '../../common/ipc/groups/scheduler.ts';
import type { FullscreenProbe } from '../activity/fullscreen.ts';
import { createPoller } from '../activity/poller.ts';
import type { ProcessLister } from '../activity/processes.ts';
import type { ActivityEvent, ActivitySnapshot, ActivitySource } from '../activity/types.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import type { GpuSignals } from './gpu-signals.ts';
import type { JobHandle, JobSource } from './jobs.ts';
import { clearedText, duration, needsCooling, thresholdText, withoutPaused } from './reasons.ts';
import { describeMoment, nextLocalMidnight } from './schedule.ts';
import { computeVetoes, type VetoLatches } from './vetoes.ts';

export interface SchedulerDeps {
  clock: Clock;
  logger: Logger;
  activity: ActivitySource;
  settings: () => SchedulerSettings;
  /** Persists the user's pause so it survives a restart. */
  savePause: (pause: PauseState) => Promise<void>;
  apps: ProcessLister;
  fullscreen: FullscreenProbe;
  gpu: GpuSignals;
  jobs: JobSource;
  /** Devices the user allows work on (from the devices settings section). */
  enabledDevices: () => string[];
  onStatus: (status: SchedulerStatus) => void;
  testHooks?: boolean;
  tickMs?: number;
  appPollMs?: { normalMs: number; urgentMs: number };
}

/** A wall-clock gap or step back larger than this between ticks counts as a clock jump (or a sleep). */
const JUMP_MS = 30_000;
/** How long to wait before asking an empty job source again. */
const RETRY_MS = 30_000;

/**
 * The scheduler: decides from activity, vetoes and the user's pause whether work may run,
 * starts jobs, and gives the machine back (bounded preempt) the moment that stops being true.
 * Every decision happens in `evaluate()`, called on each signal and on a 1 s tick.
 */
export function createScheduler(deps: SchedulerDeps) {
  const { clock, activity, jobs } = deps;
  const tickMs = deps.tickMs ?? 1000;
  let state: SchedulerState = 'waiting';
  let reason = 'Starting…';
  let since = clock.now();
  let handle: JobHandle | null = null;
  let yielding: { startedAt: number; cause: string } | null = null;
  let finishing = false;
  let pauseFinishCurrent = false;
  let asleep = false;
  let activityMark: number | null = null;
  let cooling: { until: number; cause: string } | null = null;
  let prevVetoes: Veto[] = [];
  const latches: VetoLatches = { hot: new Set(), power: new Set() };
  let runningApps: Set<string> | null = null;
  let appsReason = 'Checking running programs…';
  let fullscreen: { fullscreen: boolean; app: string | null } | null = null;
  let fullscreenReason = 'Checking for fullscreen apps…';
  let noWork: { reason: string; retryAt: number } | null = null;
  let lastTickAt = clock.now();
  let jobsCompleted = 0;
  let jobsPreempted = 0;
  let lastYieldMs: number | null = null;
  let lastStatusJson = '';
  let snapshot: ActivitySnapshot = activity.snapshot();
  let vetoes: Veto[] = [];
  let idleSecondsShown: number | null = null;
  let ticker: TimerHandle | undefined;
  let unsubscribers: (() => void)[] = [];
  let started = false;
  let clearingPause = false;
  let jobRunning = false;

  const probeApps = async (): Promise<void> => {
    const [apps, fs] = await Promise.all([deps.apps(), deps.fullscreen()]);
    if ('names' in apps) runningApps = apps.names;
    else {
      runningApps = null;
      appsReason = apps.error;
    }
    if ('error' in fs) {
      fullscreen = null;
      fullscreenReason = fs.error;
    } else fullscreen = fs;
    run();
  };
  const appsPoller = createPoller(clock, probeApps, deps.appPollMs ?? { normalMs: 5000, urgentMs: 2000 });

  const pauseActive = (s: SchedulerSettings, now: number): PauseState => {
    const p = s.pause;
    if (p.kind === 'until' && p.until <= now) return { kind: 'none' };
    return p;
  };

  /** How idle the user is, counting lock as away and our own activity marks (input events, unlock, wake, clock jumps). */
  const idleFacts = (s: SchedulerSettings, now: number): { away: boolean; seconds: number | null; text: string } => {
    const threshold = s.idleMinutes * 60;
    const sinceMark = activityMark === null ? Infinity : Math.max(0, now - activityMark) / 1000;
    if (snapshot.lock.available && snapshot.lock.value.locked) return { away: true, seconds: null, text: 'your screen is locked' };
    const input = snapshot.input;
    if (input.available) {
      const seconds = Math.min(input.value.idleSeconds, sinceMark);
      return seconds >= threshold
        ? { away: true, seconds, text: `you have been away ${duration(seconds)}` }
        : { away: false, seconds, text: `you were active ${duration(seconds)} ago (starts after ${thresholdText(s.idleMinutes)})` };
    }
    if (s.runWhenIdleUnknown) {
      if (sinceMark < threshold) {
        return { away: false, seconds: sinceMark, text: `this machine woke or its clock moved ${duration(sinceMark)} ago (starts after ${thresholdText(s.idleMinutes)})` };
      }
      return { away: true, seconds: null, text: 'activity cannot be seen here and you chose to run anyway' };
    }
    return {
      away: false,
      seconds: null,
      // The why is in the signals list; the reason stays one readable sentence.
      text: 'Hearth cannot see keyboard or mouse activity on this machine. If nobody uses it, turn on “Run when activity is unknown” in Settings',
    };
  };

  const startYield = (cause: string): void => {
    if (!handle || yielding) return;
    const current = handle;
    const startedAt = clock.now();
    yielding = { startedAt, cause };
    deps.logger.info('scheduler yielding', { cause, job: current.job.id });
    current.preempt().then(
      () => {
        lastYieldMs = clock.now() - startedAt;
      },
      (error: unknown) => deps.logger.error('preempt failed', { error: String(error) }),
    );
  };

  const startJob = (now: number): boolean => {
    if (noWork && now < noWork.retryAt) return false;
    const devices = deps.enabledDevices();
    let result: ReturnType<JobSource['start']>;
    try {
      result = jobs.start(devices);
    } catch (error) {
      result = { none: `the job source failed (${String(error)})` };
    }
    if ('none' in result) {
      noWork = { reason: result.none, retryAt: now + RETRY_MS };
      return false;
    }
    noWork = null;
    const current = result;
    handle = current;
    jobRunning = current.started === undefined;
    current.started?.then(
      () => {
        if (handle !== current) return;
        jobRunning = true;
        run();
      },
      () => undefined,
    );
    current.done.then(
      (outcome) => {
        if (handle !== current) return;
        handle = null;
        jobRunning = false;
        finishing = false;
        if (yielding || outcome.kind === 'preempted') jobsPreempted++;
        else if (outcome.kind === 'completed') jobsCompleted++;
        else if (outcome.kind === 'skipped') deps.logger.info('job skipped', { job: current.job.id, reason: outcome.reason });
        else deps.logger.warn('job failed', { job: current.job.id, message: outcome.message });
        if (outcome.kind === 'failed') noWork = { reason: `the last job failed: ${outcome.message}`, retryAt: clock.now() + RETRY_MS };
        yielding = null;
        if (pauseFinishCurrent) pauseFinishCurrent = false;
        run();
      },
      (error: unknown) => {
        deps.logger.error('job promise rejected', { error: String(error) });
        if (handle === current) handle = null;
        yielding = null;
        run();
      },
    );
    return true;
  };

  const signals = (): SignalStatus[] => {
    const list: SignalStatus[] = (['input', 'lock', 'sleep', 'power', 'thermal'] as const).map((signal) => {
      const r = snapshot[signal];
      return { signal, available: r.available, detail: r.available ? r.via : r.reason };
    });
    list.push({ signal: 'apps', available: runningApps !== null, detail: runningApps ? `${runningApps.size} running programs checked` : appsReason });
    list.push({ signal: 'fullscreen', available: fullscreen !== null, detail: fullscreen ? 'active window checked' : fullscreenReason });
    const gpu = deps.gpu.read();
    const count = gpu.available && gpu.devices.length > 0 ? ` (${gpu.devices.length} ${gpu.devices.length === 1 ? 'GPU' : 'GPUs'})` : '';
    list.push({ signal: 'gpu', available: gpu.available, detail: gpu.available ? `${gpu.via}${count}` : gpu.reason });
    return list;
  };

  const setState = (next: SchedulerState, why: string): void => {
    if (next !== state) {
      since = clock.now();
      deps.logger.info('scheduler state', { from: state, to: next, reason: why });
    }
    state = next;
    reason = why;
    activity.setUrgent?.(next === 'running' || next === 'ready' || next === 'yielding');
    appsPoller.setUrgent(next === 'running' || next === 'ready');
  };

  function evaluate(): void {
    if (!started) return;
    const now = clock.now();
    const s = deps.settings();
    snapshot = activity.snapshot();
    const pause = pauseActive(s, now);
    if (pause.kind === 'none' && s.pause.kind !== 'none' && !clearingPause) {
      clearingPause = true;
      deps.savePause({ kind: 'none' }).then(
        () => (clearingPause = false),
        () => (clearingPause = false),
      );
    }
    const devices = deps.enabledDevices();
    vetoes = computeVetoes(
      { now, settings: s, activity: snapshot, asleep, runningApps, fullscreen, gpu: deps.gpu.read(), allDevicesOff: devices.length === 0 },
      latches,
    );
    if (vetoes.length > 0) cooling = null;
    else if (s.cooldownSeconds > 0 && prevVetoes.some(needsCooling)) {
      cooling = { until: now + s.cooldownSeconds * 1000, cause: clearedText(prevVetoes.find(needsCooling)!) };
    }
    prevVetoes = vetoes;
    if (cooling && now >= cooling.until) cooling = null;
    const idle = idleFacts(s, now);
    idleSecondsShown = idle.seconds;

    if (handle && !yielding) {
      if (vetoes.length > 0) startYield(withoutPaused(vetoes[0]!.message));
      else if (pause.kind !== 'none') {
        if (pauseFinishCurrent) finishing = true;
        else startYield('you paused Hearth');
      } else if (!idle.away) {
        if (s.finishJobThenPause) finishing = true;
        else startYield('you are back');
      } else finishing = false;
    }

    if (yielding) return setState('yielding', `Yielding — ${yielding.cause}; stopping the job`);
    if (!handle && !(pause.kind !== 'none' || vetoes.length > 0 || !idle.away || cooling)) startJob(now);
    if (handle) {
      const label = handle.job.kind === 'practice' ? 'practice work (unpaid)' : 'a paid job';
      if (!jobRunning) return setState('ready', `Ready — ${idle.text}; starting ${label}: ${handle.job.label}`);
      if (finishing) return setState('running', `Finishing the current job, then pausing — ${pause.kind !== 'none' ? 'you paused Hearth' : 'you are back'}`);
      return setState('running', `Running ${label}: ${handle.job.label} — ${idle.text}`);
    }
    if (pause.kind !== 'none') {
      return setState('paused', pause.kind === 'indefinite' ? 'Paused — until you resume' : `Paused — until ${describeMoment(pause.until, now)}`);
    }
    if (vetoes.length > 0) return setState('blocked', vetoes[0]!.message);
    if (!idle.away) return setState('waiting', `Waiting — ${idle.text}`);
    if (cooling) {
      return setState('cooling', `Cooling down — ${cooling.cause}; starting again in ${duration((cooling.until - now) / 1000)}`);
    }
    return setState('ready', `Ready — ${idle.text}, but there is no work: ${noWork?.reason ?? 'none available'}`);
  }

  const status = (): SchedulerStatus => {
    const s = deps.settings();
    return {
      state,
      reason,
      since,
      idleSeconds: idleSecondsShown,
      idleThresholdSeconds: s.idleMinutes * 60,
      vetoes,
      pause: pauseActive(s, clock.now()),
      finishingThenPause: finishing,
      job: handle?.job ?? null,
      jobSource: { kind: jobs.kind, description: jobs.describe() },
      signals: signals(),
      jobsCompleted,
      jobsPreempted,
      lastYieldMs,
      testHooks: deps.testHooks ?? false,
    };
  };

  const publish = (): void => {
    const next = status();
    const json = JSON.stringify(next);
    if (json === lastStatusJson) return;
    lastStatusJson = json;
    deps.onStatus(next);
  };

  const run = (): void => {
    evaluate();
    publish();
  };

  const onActivity = (event: ActivityEvent): void => {
    const now = clock.now();
    // Input is already in the input source's idle time; unlocking is not always (a password typed elsewhere).
    if (event.kind === 'unlock') activityMark = now;
    if (event.kind === 'suspend') asleep = true;
    if (event.kind === 'resume') {
      asleep = false;
      activityMark = now; // waking the machine is a sign someone is there
    }
    run();
  };

  const tick = (): void => {
    const now = clock.now();
    const gap = now - lastTickAt;
    lastTickAt = now;
    // A jump of the wall clock (or a sleep we were not told about): trust no idle time measured across it.
    if (gap > JUMP_MS || gap < -5000) {
      deps.logger.info('clock jump seen by the scheduler', { gapMs: gap });
      activityMark = now;
      // Waits set on the wall clock keep what was left of them at the last tick: a step back
      // must not stretch a 60 s cool-down into a day, a step forward must not end it at once.
      if (cooling) cooling = { ...cooling, until: cooling.until + gap };
      if (noWork) noWork = { ...noWork, retryAt: noWork.retryAt + gap };
    }
    run();
  };

  return {
    start(): void {
      if (started) return;
      started = true;
      lastTickAt = clock.now();
      unsubscribers = [activity.subscribe(onActivity), deps.gpu.subscribe(run)];
      ticker = clock.setInterval(tick, tickMs);
      appsPoller.start();
      run();
    },
    /** Stops watching; a running job is preempted (bounded) before this resolves. */
    async stop(): Promise<void> {
      if (!started) return;
      started = false;
      for (const u of unsubscribers) u();
      unsubscribers = [];
      if (ticker !== undefined) clock.clearInterval(ticker);
      appsPoller.stop();
      const current = handle;
      if (current) await current.preempt().catch(() => undefined);
      handle = null;
    },
    status,
    /** Forgets wake-up, unlock and clock-jump marks (the test hook's "idle for N s" means exactly that). */
    forgetActivityMarks(): void {
      activityMark = null;
      run();
    },
    /** Re-reads everything now (after a settings change or a scripted step). */
    refresh: run,
    /** Polls running apps and the fullscreen state now instead of at the next period. */
    pollApps: probeApps,
    async pause(duration: 'hour' | 'tomorrow' | 'resume', finishCurrent: boolean): Promise<SchedulerStatus> {
      const now = clock.now();
      const pause: PauseState =
        duration === 'hour' ? { kind: 'until', until: now + 3_600_000 } : duration === 'tomorrow' ? { kind: 'until', until: nextLocalMidnight(now) } : { kind: 'indefinite' };
      pauseFinishCurrent = finishCurrent && handle !== null;
      await deps.savePause(pause);
      run();
      return status();
    },
    async resume(): Promise<SchedulerStatus> {
      pauseFinishCurrent = false;
      await deps.savePause({ kind: 'none' });
      run();
      return status();
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
