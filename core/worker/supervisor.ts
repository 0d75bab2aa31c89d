import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HearthError } from '../../common/errors.ts';
import {
  createSeqGuard,
  tensorBytes,
  workerMessage,
  type HostMessageBody,
  type ProviderName,
  type Tensor,
  type ValueSpec,
  type WorkerMessage,
  type WorkerStats,
} from '../../common/worker/protocol.ts';
import type { Clock, LaunchedProcess, Launcher, Logger, TimerHandle } from '../ports.ts';
import type { ResolvedModel } from '../models/store.ts';
import { validateInputs, formatBytes } from '../models/validate.ts';
import { defaultWorkerEntry, type WorkerEntry } from './entry.ts';
import { scrubbedWorkerEnv } from './env.ts';
import { isWithin, workerSandbox, type WorkerPermissions } from './permissions.ts';
import { createTensorExchange } from './tensor-exchange.ts';

export type WorkerState = 'starting' | 'ready' | 'busy' | 'draining' | 'exited';

export interface CrashRecord {
  at: number;
  reason: string;
  code: string;
}

export interface WorkerStatus {
  state: WorkerState;
  pid: number | null;
  /** The execution provider of the last model loaded (null before any load). */
  provider: ProviderName | null;
  restarts: number;
  jobsDone: number;
  jobsFailed: number;
  rssBytes: number | null;
  memoryLimitBytes: number;
  /** Most recent first, at most 10. */
  crashes: CrashRecord[];
  /** When the supervisor gave up restarting, or is waiting to restart, why. */
  note: string | null;
}

export interface InferenceJob {
  id?: string;
  model: ResolvedModel;
  inputs: Record<string, Tensor>;
  timeoutMs?: number;
  /** Split the leading (batch) dimension into runs of at most this many rows (only for batch-major models). */
  sliceRows?: number;
  signal?: AbortSignal;
}

export interface InferenceResult {
  jobId: string;
  outputs: Record<string, Tensor>;
  /** The execution provider that actually ran the job. */
  provider: ProviderName;
  timings: { queueMs: number; loadMs: number; runMs: number; totalMs: number };
}

export interface SupervisorOptions {
  launcher: Launcher;
  clock: Clock;
  logger: Logger;
  /** The worker's own working directory (created 0700 if missing): the only folder besides the tensor exchange it may write. */
  workDir: string;
  /**
   * Where the models it will load are (the store's `readPaths()`): the worker runs under
   * Node's permission model and may read only these, its own code and installed packages.
   * A file given later by path is added with allowRead().
   */
  modelPaths: string[];
  entry?: WorkerEntry;
  /** The environment to scrub for the child (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Resident memory cap for the worker process; above it the worker is killed. */
  memoryLimitMb?: number;
  /** ORT intra-op threads in the worker. */
  threads?: number;
  providers?: ProviderName[];
  heartbeatIntervalMs?: number;
  /** No message for this long while not running a job means the worker hangs. */
  heartbeatTimeoutMs?: number;
  startTimeoutMs?: number;
  loadTimeoutMs?: number;
  jobTimeoutMs?: number;
  maxInputBytes?: number;
  maxOutputBytes?: number;
  memorySampleMs?: number;
  /**
   * Folder where tensors over 64 KB are exchanged as files instead of through the pipe
   * (default: a fresh folder in /dev/shm on Linux, else <workDir>/xfer); false sends everything inline.
   */
  transferDir?: string | false;
  /** Jobs handed to the worker ahead of time, so the next input crosses the pipe while one runs. */
  pipelineDepth?: number;
  restart?: { baseMs?: number; maxMs?: number; maxConsecutive?: number };
  /** Resident bytes of a pid, or undefined when unknown (default: /proc on Linux). */
  readRss?: (pid: number) => number | undefined;
  /** A monotonic ms clock for durations (default performance.now). */
  monotonic?: () => number;
}

/** Reads VmRSS from /proc (Linux). Elsewhere the worker's own heartbeat reports are used. */
export function procRss(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Pending {
  resolve(message: WorkerMessage): void;
  reject(error: Error): void;
}

interface Queued {
  jobId: string;
  job: InferenceJob;
  enqueuedAt: number;
  resolve(result: InferenceResult): void;
  reject(error: Error): void;
  settled: boolean;
  /** Bumped each time the job is (re)sent, so replies to an abandoned attempt are ignored. */
  attempt: number;
  timer?: TimerHandle;
}

interface Loaded {
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  provider: ProviderName;
}

/** Why the host ended a worker on purpose; an exit without one is a crash. */
interface KillReason {
  code: string;
  message: string;
  /** Counts toward the crash record and restart backoff. */
  crash: boolean;
}

export type WorkerSupervisor = ReturnType<typeof createWorkerSupervisor>;

let jobCounter = 0;

/**
 * Owns the inference worker process: starts it, feeds it one job at a time, watches its
 * heartbeat and memory, restarts it with capped exponential backoff after a crash, and
 * stops it on demand within a hard bound. Every failure ends up as a HearthError on the
 * job that suffered it; the host process itself is never at risk.
 */
export function createWorkerSupervisor(options: SupervisorOptions) {
  const { launcher, clock, logger } = options;
  const monotonic = options.monotonic ?? (() => performance.now());
  const memoryLimitBytes = (options.memoryLimitMb ?? 4096) * 1024 * 1024;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? Math.max(5000, heartbeatIntervalMs * 5);
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
  const jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
  const maxInputBytes = options.maxInputBytes ?? 256 * 1024 * 1024;
  const maxOutputBytes = options.maxOutputBytes ?? 256 * 1024 * 1024;
  const memorySampleMs = options.memorySampleMs ?? 200;
  const restartBaseMs = options.restart?.baseMs ?? 500;
  const restartMaxMs = options.restart?.maxMs ?? 30_000;
  const maxConsecutive = options.restart?.maxConsecutive ?? 6;
  const readRss = options.readRss ?? procRss;
  const pipelineDepth = Math.max(1, options.pipelineDepth ?? 2);
  const exchange = createTensorExchange(options.transferDir, options.workDir);
  const xferDir = exchange.dir;
  const entry = options.entry ?? defaultWorkerEntry();
  const modelPaths = options.modelPaths.map((p) => resolve(p));
  /** What the running worker was allowed to read (models outside it cannot be loaded by it). */
  let granted: WorkerPermissions | undefined;

  let state: WorkerState = 'exited';
  let child: LaunchedProcess | undefined;
  let generation = 0;
  let hostSeq = 0;
  let guard = createSeqGuard();
  const pending = new Map<number, Pending>();
  let loaded = new Map<string, Loaded>();
  const queue: Queued[] = [];
  /** Jobs sent to the worker, in the order it runs them: the head is the one running. */
  let inflight: Queued[] = [];
  const loading = new Map<string, Promise<{ loaded: Loaded; ms: number }>>();
  let wanted = false;
  let killReason: KillReason | undefined;
  // Watchdog ticks since the worker last spoke. Counted in ticks, not wall time: a clock stepped
  // forward would read as a long silence, and one stepped back would hide a real one.
  let silentTicks = 0;
  let reportedRss: number | undefined;
  let sampledRss: number | undefined;
  let consecutiveCrashes = 0;
  let restarts = 0;
  let jobsDone = 0;
  let jobsFailed = 0;
  let lastProvider: ProviderName | null = null;
  let note: string | null = null;
  const crashes: CrashRecord[] = [];
  let restartTimer: TimerHandle | undefined;
  let watchdog: TimerHandle | undefined;
  let memoryTimer: TimerHandle | undefined;
  let readyWaiters: { resolve(): void; reject(e: Error): void }[] = [];
  let exitWaiters: (() => void)[] = [];
  const listeners = new Set<(status: WorkerStatus) => void>();

  function status(): WorkerStatus {
    return {
      state,
      pid: child?.pid ?? null,
      provider: lastProvider,
      restarts,
      jobsDone,
      jobsFailed,
      rssBytes: sampledRss ?? reportedRss ?? null,
      memoryLimitBytes,
      crashes: crashes.slice(0, 10),
      note,
    };
  }

  function setState(next: WorkerState): void {
    if (state === next) return;
    state = next;
    const snapshot = status();
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        logger.error('worker state listener failed', { error: String(error) });
      }
    }
  }

  function send(body: HostMessageBody): number {
    hostSeq += 1;
    child?.send({ ...body, seq: hostSeq });
    return hostSeq;
  }

  function request(body: HostMessageBody, timeoutMs: number, onTimeout: () => void): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const seq = send(body);
      const timer = clock.setTimeout(() => {
        if (!pending.has(seq)) return;
        pending.delete(seq);
        onTimeout();
      }, timeoutMs);
      pending.set(seq, {
        resolve: (m) => {
          clock.clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clock.clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Ends the worker now; `reason` becomes the error of whatever it was doing. */
  function kill(reason: KillReason): void {
    if (!child) return;
    killReason ??= reason;
    child.kill();
  }

  function launch(): void {
    generation += 1;
    const gen = generation;
    guard = createSeqGuard();
    loaded = new Map();
    loading.clear();
    killReason = undefined;
    reportedRss = undefined;
    sampledRss = undefined;
    privateDir(options.workDir);
    exchange.open();
    granted = workerSandbox({ modulePath: entry.modulePath, modelPaths, scratch: xferDir ? [options.workDir, xferDir] : [options.workDir] });
    const heapMb = Math.max(256, Math.min(2048, Math.floor(memoryLimitBytes / 1024 / 1024 / 2)));
    setState('starting');
    silentTicks = 0;
    const proc = launcher.launch({
      modulePath: entry.modulePath,
      args: [],
      cwd: options.workDir,
      execArgv: [...entry.execArgv, `--max-old-space-size=${heapMb}`],
      permissions: granted,
      env: scrubbedWorkerEnv(options.env ?? process.env, {
        HEARTH_WORKER_THREADS: String(options.threads ?? 1),
        HEARTH_WORKER_HEARTBEAT_MS: String(heartbeatIntervalMs),
        ...(xferDir ? { HEARTH_WORKER_XFER_DIR: xferDir } : {}),
      }),
    });
    child = proc;
    proc.onMessage((raw) => {
      if (gen === generation) onMessage(raw);
    });
    proc.onExit((code, signal) => {
      if (gen === generation) onExit(code, signal);
    });
    const startTimer = clock.setTimeout(() => {
      if (gen === generation && state === 'starting') {
        kill({ code: 'worker_start_failed', message: `The inference worker did not start within ${startTimeoutMs} ms.`, crash: true });
      }
    }, startTimeoutMs);
    readyWaiters.push({ resolve: () => clock.clearTimeout(startTimer), reject: () => clock.clearTimeout(startTimer) });
    watchdog = clock.setInterval(() => {
      if (gen !== generation) return;
      // While a job runs, ORT blocks the worker's thread and heartbeats pause: the job timeout watches that
      // instead; while starting, the start timeout does (loading ORT can take a while on a busy machine).
      silentTicks += 1;
      if (state === 'ready' && silentTicks * heartbeatIntervalMs > heartbeatTimeoutMs) {
        kill({ code: 'worker_unresponsive', message: `The inference worker stopped responding for ${heartbeatTimeoutMs} ms and was restarted.`, crash: true });
      }
    }, heartbeatIntervalMs);
    memoryTimer = clock.setInterval(() => {
      if (gen !== generation || proc.pid === undefined) return;
      sampledRss = readRss(proc.pid);
      checkMemory();
    }, memorySampleMs);
  }

  function checkMemory(): void {
    const rss = Math.max(sampledRss ?? 0, reportedRss ?? 0);
    if (rss > memoryLimitBytes) {
      kill({
        code: 'worker_memory_exceeded',
        message: `The inference worker exceeded its memory limit (${formatBytes(rss)} > ${formatBytes(memoryLimitBytes)}) and was stopped.`,
        crash: true,
      });
    }
  }

  function protocolViolation(detail: string): void {
    logger.warn('worker broke the protocol', { detail });
    kill({ code: 'worker_protocol', message: 'The inference worker sent an invalid message and was stopped.', crash: true });
  }

  function onMessage(raw: unknown): void {
    const parsed = workerMessage.safeParse(raw);
    if (!parsed.success) return protocolViolation(parsed.error.issues[0]?.message ?? 'invalid');
    const message = parsed.data;
    if (!guard.accept(message.seq)) return protocolViolation('sequence number went backwards');
    silentTicks = 0;
    switch (message.type) {
      case 'hello':
        if (state === 'starting') {
          setState('ready');
          const waiters = readyWaiters;
          readyWaiters = [];
          for (const w of waiters) w.resolve();
          pump();
        }
        return;
      case 'heartbeat':
        reportedRss = message.rssBytes;
        checkMemory();
        return;
      case 'log':
        logger[message.level]('worker: ' + message.message);
        return;
      case 'stats':
        reportedRss = message.rssBytes;
        if (message.re === undefined) return;
        break;
      default:
        break;
    }
    const re = 're' in message ? message.re : undefined;
    const waiter = re === undefined ? undefined : pending.get(re);
    if (!waiter || re === undefined) {
      // A reply to a request that already timed out or was cancelled: nothing waits for it.
      return;
    }
    pending.delete(re);
    waiter.resolve(message);
  }

  function failureFor(code: number | null, signal: string | null): KillReason {
    if (killReason) return killReason;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return { code: 'worker_crashed', message: `The inference worker crashed (it ${how}).`, crash: true };
  }

  function onExit(code: number | null, signal: string | null): void {
    const reason = failureFor(code, signal);
    const intended = !reason.crash;
    clock.clearInterval(watchdog as TimerHandle);
    clock.clearInterval(memoryTimer as TimerHandle);
    child = undefined;
    generation += 1;
    // Files of a dead worker's unfinished exchanges: nobody will read them now.
    exchange.clear();
    const error = new HearthError(reason.code, reason.message);
    for (const [, waiter] of pending) waiter.reject(error);
    pending.clear();
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const w of waiters) w.reject(error);
    // The job that was running takes the blame; jobs queued behind it inside the worker go back in line.
    const [head, ...behind] = inflight;
    inflight = [];
    for (const item of [head, ...behind]) if (item) clearJobTimer(item);
    if (head) fail(head, error);
    for (const item of behind.reverse()) {
      if (item.settled) continue;
      item.attempt += 1;
      queue.unshift(item);
    }
    if (!['preempted', 'stopped', 'cancelled'].includes(reason.code)) {
      // Timeouts are recorded too, but only real crashes slow the restarts down.
      crashes.unshift({ at: clock.now(), reason: reason.message, code: reason.code });
      crashes.length = Math.min(crashes.length, 10);
      logger.warn('inference worker ended', { code: reason.code, reason: reason.message, exitCode: code, signal });
    }
    if (reason.crash) consecutiveCrashes += 1;
    setState('exited');
    const exits = exitWaiters;
    exitWaiters = [];
    for (const w of exits) w();
    if (!wanted) return;
    if (reason.crash && consecutiveCrashes > maxConsecutive) {
      wanted = false;
      note = `The inference worker crashed ${consecutiveCrashes} times in a row; it stays stopped until started again.`;
      failQueue(new HearthError('worker_unavailable', note));
      setState('exited');
      return;
    }
    const delay = intended ? 0 : Math.min(restartMaxMs, restartBaseMs * 2 ** (consecutiveCrashes - 1));
    note = intended ? null : `Restarting in ${delay} ms after: ${reason.message}`;
    restartTimer = clock.setTimeout(() => {
      restartTimer = undefined;
      if (!wanted || child) return;
      restarts += 1;
      launch();
    }, delay);
  }

  function clearJobTimer(item: Queued): void {
    if (item.timer !== undefined) clock.clearTimeout(item.timer);
    item.timer = undefined;
  }

  /** Starts the job's time limit once it reaches the head of the worker's line, i.e. once it runs. */
  function armHead(): void {
    const head = inflight[0];
    if (!head || head.timer !== undefined) return;
    const timeoutMs = head.job.timeoutMs ?? jobTimeoutMs;
    head.timer = clock.setTimeout(() => {
      if (inflight[0] === head) kill({ code: 'job_timeout', message: `The job ran longer than its ${timeoutMs} ms limit; the worker was stopped.`, crash: false });
    }, timeoutMs);
  }

  function fail(item: Queued, error: Error): void {
    if (item.settled) return;
    clearJobTimer(item);
    item.settled = true;
    jobsFailed += 1;
    item.reject(error);
  }

  function failQueue(error: Error): void {
    for (const item of queue.splice(0)) fail(item, error);
  }

  function loadModel(model: ResolvedModel): Promise<{ loaded: Loaded; ms: number }> {
    const have = loaded.get(model.key);
    if (have) return Promise.resolve({ loaded: have, ms: 0 });
    const running = loading.get(model.key);
    if (running) return running;
    const promise = loadFresh(model).finally(() => loading.delete(model.key));
    loading.set(model.key, promise);
    return promise;
  }

  async function loadFresh(model: ResolvedModel): Promise<{ loaded: Loaded; ms: number }> {
    const started = monotonic();
    if (granted && !isWithin(model.path, granted.read)) {
      throw new HearthError('model_not_permitted', `The worker may not read ${model.path}: it is outside the model folders it was started with. Add it with allowRead() before the worker starts.`);
    }
    const reply = await request({ type: 'load', modelKey: model.key, path: model.path, ...(options.providers ? { providers: options.providers } : {}) }, loadTimeoutMs, () =>
      kill({ code: 'model_load_timeout', message: `Loading the model took longer than ${loadTimeoutMs} ms; the worker was restarted.`, crash: true }),
    );
    if (reply.type === 'error') throw new HearthError(reply.code, reply.message);
    if (reply.type !== 'loaded' || reply.modelKey !== model.key) {
      protocolViolation('unexpected reply to load');
      throw new HearthError('worker_protocol', 'The inference worker answered a load with something else.');
    }
    for (const f of reply.fallbacks) logger.info('execution provider unavailable, fell back', { provider: f.provider, error: f.error.slice(0, 300) });
    const entry: Loaded = { inputs: reply.inputs, outputs: reply.outputs, provider: reply.provider };
    loaded.set(model.key, entry);
    lastProvider = reply.provider;
    return { loaded: entry, ms: monotonic() - started };
  }

  async function execute(item: Queued, sent: () => void): Promise<InferenceResult> {
    const { job, jobId } = item;
    const queueMs = monotonic() - item.enqueuedAt;
    const { loaded: model, ms: loadMs } = await loadModel(job.model);
    // The file's own metadata is checked too: a catalog entry could be wrong, an ad-hoc file has no entry.
    validateInputs(model.inputs, job.inputs, maxInputBytes);
    if (item.settled) throw new HearthError('cancelled', 'The job was cancelled.');
    if (!child) throw new HearthError('worker_crashed', 'The inference worker stopped before the job was sent.');
    setState('busy');
    const { wire, files } = exchange.toWire(job.inputs);
    const reply = await new Promise<WorkerMessage>((resolve, reject) => {
      const seq = send({
        type: 'run',
        jobId,
        modelKey: job.model.key,
        inputs: wire,
        maxOutputBytes,
        ...(job.sliceRows ? { sliceRows: job.sliceRows } : {}),
      });
      pending.set(seq, { resolve, reject });
      inflight.push(item);
      sent();
      armHead();
    });
    for (const file of files) void unlink(file).catch(() => undefined); // the worker removes them; this covers jobs it skipped
    if (reply.type === 'error') throw new HearthError(reply.code, reply.message);
    if (reply.type !== 'result' || reply.jobId !== jobId) {
      protocolViolation('unexpected reply to run');
      throw new HearthError('worker_protocol', 'The inference worker answered a job with something else.');
    }
    const expected = new Set(model.outputs.map((o) => o.name));
    let bytes = 0;
    for (const [name, tensor] of Object.entries(reply.outputs)) {
      if (!expected.has(name)) {
        protocolViolation(`unknown output ${name}`);
        throw new HearthError('worker_protocol', `The worker returned an output "${name}" the model does not declare.`);
      }
      bytes += tensorBytes(tensor);
    }
    if (bytes > maxOutputBytes) throw new HearthError('output_too_large', `The job's outputs exceed the ${formatBytes(maxOutputBytes)} limit.`);
    const outputs = await exchange.fromWire(reply.outputs, protocolViolation);
    const runMs = reply.runMs;
    return { jobId, outputs, provider: reply.provider, timings: { queueMs, loadMs, runMs, totalMs: monotonic() - item.enqueuedAt } };
  }

  let starting = 0;
  function pump(): void {
    while ((state === 'ready' || state === 'busy') && inflight.length + starting < pipelineDepth && queue.length > 0) {
      const item = queue.shift() as Queued;
      const attempt = item.attempt;
      starting += 1;
      let counted = true;
      const release = () => {
        if (counted) starting -= 1;
        counted = false;
      };
      // Once the run is sent the job is tracked by `inflight`, not by `starting`.
      execute(item, release).then(
        (result) => {
          if (item.attempt !== attempt || item.settled) return;
          clearJobTimer(item);
          item.settled = true;
          jobsDone += 1;
          consecutiveCrashes = 0;
          note = null;
          item.resolve(result);
        },
        (error: unknown) => {
          if (item.attempt !== attempt) return;
          fail(item, error instanceof Error ? error : new Error(String(error)));
        },
      ).finally(() => {
        release();
        const index = inflight.indexOf(item);
        if (index >= 0 && item.attempt === attempt) {
          // Leaving the worker's line ends the job's time limit, settled or not: a job cancelled
          // while queued in the worker is already settled, so fail() would not clear it.
          clearJobTimer(item);
          inflight.splice(index, 1);
          armHead();
        }
        if (state === 'busy' && inflight.length === 0) setState('ready');
        pump();
      });
    }
  }

  function waitExit(): Promise<void> {
    if (!child) return Promise.resolve();
    return new Promise((resolve) => exitWaiters.push(resolve));
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => clock.setTimeout(resolve, ms));
  }

  /** Asks the worker to exit, waits `graceMs`, then kills it; resolves once it is gone. */
  async function shutdown(graceMs: number, reason: KillReason): Promise<boolean> {
    if (!child) return false;
    setState('draining');
    const exited = waitExit();
    killReason ??= reason;
    send({ type: 'shutdown' });
    let killed = false;
    const timer = clock.setTimeout(() => {
      killed = true;
      child?.kill();
    }, graceMs);
    await exited;
    clock.clearTimeout(timer);
    return killed;
  }

  function cancelRestart(): void {
    if (restartTimer !== undefined) clock.clearTimeout(restartTimer);
    restartTimer = undefined;
  }

  return {
    /** The current lifecycle state. */
    get state(): WorkerState {
      return state;
    },
    status,
    /** Subscribes to state changes; returns unsubscribe. */
    onState(listener: (status: WorkerStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Starts the worker (no-op if running) and resolves when it is ready. */
    start(): Promise<void> {
      wanted = true;
      note = null;
      if (state === 'ready' || state === 'busy') return Promise.resolve();
      const ready = new Promise<void>((resolve, reject) => readyWaiters.push({ resolve, reject }));
      if (!child && restartTimer === undefined) {
        consecutiveCrashes = 0;
        launch();
      }
      return ready;
    },
    /**
     * Queues a job; resolves with its outputs or rejects with a HearthError whose code says
     * what went wrong (input_shape, input_too_large, job_timeout, worker_crashed,
     * worker_memory_exceeded, cancelled, preempted, ...). Starts the worker if needed.
     */
    run(job: InferenceJob): Promise<InferenceResult> {
      const jobId = job.id ?? `job-${++jobCounter}`;
      return new Promise<InferenceResult>((resolve, reject) => {
        if (job.model.entry) validateInputs(job.model.entry.inputs, job.inputs, maxInputBytes);
        if (!wanted && !child) {
          wanted = true;
          consecutiveCrashes = 0;
          launch();
        } else wanted = true;
        const item: Queued = { jobId, job, enqueuedAt: monotonic(), resolve, reject, settled: false, attempt: 0 };
        if (job.signal) {
          if (job.signal.aborted) throw new HearthError('cancelled', 'The job was cancelled.');
          job.signal.addEventListener('abort', () => cancel(jobId), { once: true });
        }
        queue.push(item);
        pump();
      });
    },
    /** Loads a model (starting the worker if needed) and returns its inputs, outputs and the provider it got. */
    async inspect(model: ResolvedModel): Promise<{ inputs: ValueSpec[]; outputs: ValueSpec[]; provider: ProviderName }> {
      await this.start();
      const { loaded: info } = await loadModel(model);
      return { inputs: info.inputs, outputs: info.outputs, provider: info.provider };
    },
    /**
     * Lets workers started from now on read `path` (a model file given by path, e.g.
     * `hearth infer --model ./x.onnx`). A worker already running keeps its grant.
     */
    allowRead(path: string): void {
      const full = resolve(path);
      if (!modelPaths.includes(full)) modelPaths.push(full);
    },
    /** Cancels a queued or running job. A running one is given a moment to stop, then its worker is replaced. */
    cancel,
    /** Asks the worker for its memory and session counts. */
    async stats(): Promise<WorkerStats> {
      if (!child || state === 'starting') throw new HearthError('worker_not_running', 'The inference worker is not running.');
      const reply = await request({ type: 'stats' }, 5000, () => undefined);
      if (reply.type !== 'stats') throw new HearthError('worker_protocol', 'The inference worker answered stats with something else.');
      const { rssBytes, heapUsedBytes, sessions, jobsRun } = reply;
      return { rssBytes, heapUsedBytes, sessions, jobsRun };
    },
    /**
     * Stops the worker for the user within `boundMs`: asks it to stop, and kills it if it
     * has not gone by part of the bound (at once if it is stuck inside a run, which cannot
     * hear the request). Queued and running jobs fail with `preempted`; it is not restarted
     * until start() or run() is called. Resolves when the process is gone.
     */
    async preempt(boundMs = 150): Promise<{ ms: number; killed: boolean }> {
      const started = monotonic();
      wanted = false;
      cancelRestart();
      const error = new HearthError('preempted', 'The job was stopped because the computer is needed by its user.');
      failQueue(error);
      for (const item of inflight) fail(item, error);
      if (!child) return { ms: monotonic() - started, killed: false };
      // A busy worker is inside ORT's blocking run and only hears messages between slices: a
      // sliced job gets a real chance to stop cleanly, an unsliced one only a token wait.
      const sliced = inflight[0]?.job.sliceRows !== undefined;
      const graceMs = state !== 'busy' ? boundMs / 2 : sliced ? Math.min(boundMs / 3, 50) : Math.min(boundMs / 10, 15);
      const killed = await shutdown(graceMs, { code: 'preempted', message: error.message, crash: false });
      return { ms: monotonic() - started, killed };
    },
    /** Lets the running job finish (up to `timeoutMs`), then stops the worker. Queued jobs fail with `stopped`. */
    async stop(timeoutMs = 5000): Promise<void> {
      wanted = false;
      cancelRestart();
      failQueue(new HearthError('stopped', 'The inference worker was stopped before this job ran.'));
      if (!child) return;
      const deadline = clock.now() + timeoutMs;
      while (inflight.length > 0 && clock.now() < deadline) await sleep(20);
      await shutdown(Math.max(100, deadline - clock.now()), { code: 'stopped', message: 'The inference worker was stopped.', crash: false });
    },
  };

  function cancel(jobId: string): boolean {
    const index = queue.findIndex((q) => q.jobId === jobId);
    const error = new HearthError('cancelled', 'The job was cancelled.');
    if (index >= 0) {
      const [item] = queue.splice(index, 1);
      if (item) fail(item, error);
      return true;
    }
    const item = inflight.find((q) => q.jobId === jobId);
    if (!item) return false;
    fail(item, error);
    if (child) {
      send({ type: 'cancel', jobId });
      const gen = generation;
      // ORT cannot be interrupted inside a run: if the worker is still on this job shortly, replace it.
      clock.setTimeout(() => {
        if (gen === generation && inflight[0] === item) {
          kill({ code: 'cancelled', message: 'The job was cancelled.', crash: false });
        }
      }, 1000);
    }
    return true;
  }
}

/** Makes the worker's folder, or tightens an existing one, to this user only: it holds job data. */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const info = statSync(dir);
  if ((info.mode & 0o077) !== 0 && info.uid === process.getuid?.()) chmodSync(dir, 0o700);
}
