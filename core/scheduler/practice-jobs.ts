/**
 * Until the job market exists, the scheduler's work is *practice*: a real model (the
 * PaddleOCR recognizer shipped with Hearth) run through the real inference worker on
 * made-up input. It exercises every part of the loop except payment, and the UI says
 * plainly that it earns nothing.
 */
import { join } from 'node:path';
import { CPU_DEVICE_ID } from '../../common/hardware.ts';
import type { Ports } from '../ports.ts';
import {
  BENCHMARK_MODEL_ID,
  benchmarkInput,
  builtinCatalog,
  createModelStore,
  createWorkerSupervisor,
  type ModelStore,
  type WorkerSupervisor,
} from '../worker/index.ts';
import type { JobHandle, JobOutcome, JobSource } from './jobs.ts';

export interface PracticeJobOptions {
  ports: Pick<Ports, 'launcher' | 'clock' | 'logger' | 'paths'>;
  /** How long one practice job runs when nobody interrupts it. */
  jobMs?: number;
  /** Time allowed to give the machine back before the worker is killed. */
  preemptBoundMs?: number;
  /** Rows per inference (batch). */
  batch?: number;
  /** Tells who owns the worker pid, so telemetry does not count it as "someone else on the GPU". */
  onWorkerPid?: (pid: number | null) => void;
  supervisor?: WorkerSupervisor;
  store?: ModelStore;
}

/** The practice job source: one worker, started per job and gone after preemption. */
export function createPracticeJobSource(options: PracticeJobOptions): JobSource & { supervisor: WorkerSupervisor; yieldWhen(check: () => boolean): void } {
  const { ports } = options;
  const jobMs = options.jobMs ?? 120_000;
  const boundMs = options.preemptBoundMs ?? 150;
  const store = options.store ?? createModelStore({ cacheDir: ports.paths.cacheDir, logger: ports.logger });
  const supervisor =
    options.supervisor ??
    createWorkerSupervisor({ launcher: ports.launcher, clock: ports.clock, logger: ports.logger, workDir: join(ports.paths.cacheDir, 'worker'), modelPaths: store.readPaths() });
  supervisor.onState((s) => options.onWorkerPid?.(s.pid));
  const modelName = builtinCatalog.find((m) => m.id === BENCHMARK_MODEL_ID)?.name ?? BENCHMARK_MODEL_ID;
  let counter = 0;
  let busy = false;
  let shouldYield: () => boolean = () => false;

  return {
    kind: 'practice',
    supervisor,
    /** Ends running practice jobs early whenever `check` says so (paid work is waiting). */
    yieldWhen(check: () => boolean) {
      shouldYield = check;
    },
    describe: () => `Practice work: ${modelName} on made-up input. It keeps Hearth warmed up and pays nothing until the job market is connected.`,
    start(devices): JobHandle | { none: string } {
      if (busy) return { none: 'the previous practice job is still stopping' };
      if (devices.length === 0) return { none: 'every device is turned off' };
      const deviceId = devices.find((d) => d !== CPU_DEVICE_ID) ?? devices[0] ?? CPU_DEVICE_ID;
      const id = `practice-${ports.clock.now()}-${++counter}`;
      busy = true;
      let preempting: Promise<void> | null = null;
      let markStarted!: () => void;
      let failStart!: (e: unknown) => void;
      const started = new Promise<void>((resolve, reject) => {
        markStarted = resolve;
        failStart = reject;
      });
      started.catch(() => undefined);
      const work = async (): Promise<JobOutcome> => {
        const model = await store.ensure(BENCHMARK_MODEL_ID);
        if (preempting) return { kind: 'preempted' };
        await supervisor.start();
        const inputName = model.entry?.inputs[0]?.name ?? 'x';
        const input = benchmarkInput(options.batch ?? 1);
        const began = ports.clock.now();
        let first = true;
        // Paid work waiting ends a practice job early (as a completed one: nothing was lost).
        while (!preempting && ports.clock.now() - began < jobMs && !(first === false && shouldYield())) {
          await supervisor.run({ id: `${id}-${counter}`, model, inputs: { [inputName]: input } });
          if (first) {
            first = false;
            markStarted();
          }
        }
        return preempting ? { kind: 'preempted' } : { kind: 'completed' };
      };
      const done = work()
        .catch((error: unknown): JobOutcome => {
          if (preempting || (error as { code?: string }).code === 'preempted') return { kind: 'preempted' };
          return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
        })
        .then(async (outcome) => {
          failStart(new Error('job ended before it started'));
          if (preempting) await preempting;
          // Between jobs the worker is let go: an idle model should not hold memory while you work.
          else await supervisor.stop(2000).catch(() => undefined);
          busy = false;
          return outcome;
        });
      return {
        job: { id, kind: 'practice', label: modelName, startedAt: ports.clock.now(), deviceId },
        done,
        started,
        preempt() {
          preempting ??= supervisor.preempt(boundMs).then((r) => {
            ports.logger.info('practice job preempted', { ms: Math.round(r.ms), killed: r.killed });
          });
          return preempting;
        },
      };
    },
    async stop() {
      await supervisor.preempt(boundMs).catch(() => undefined);
    },
  };
}
