/**
 * Runs the device benchmark through the real inference worker (core/worker). The worker
 * is started for the benchmark and stopped after it, so the benchmark never leaves a
 * second long-lived inference process next to the one the scheduler owns.
 */
import { join } from 'node:path';
import type { Ports } from '../ports.ts';
import { createModelStore, createWorkerSupervisor, runBenchmark, type BenchmarkProgress, type BenchmarkResult, type ProviderName } from '../worker/index.ts';

export type BenchmarkRequest = {
  /** Execution providers to try, best first ('cpu' alone benchmarks the processor). */
  providers: ProviderName[];
  onProgress: (p: BenchmarkProgress) => void;
  /** Pids of the benchmark worker while it runs, so telemetry does not count it as "someone else". */
  onWorkerPid?: (pid: number | null) => void;
};

export type BenchmarkRunner = (req: BenchmarkRequest) => Promise<BenchmarkResult>;

/** The default runner: the PaddleOCR recognizer benchmark from core/worker, in its own worker. */
export function createWorkerBenchmarkRunner(ports: Ports, options: { iterations?: number } = {}): BenchmarkRunner {
  return async (req) => {
    const store = createModelStore({ cacheDir: ports.paths.cacheDir, logger: ports.logger });
    const supervisor = createWorkerSupervisor({
      launcher: ports.launcher,
      clock: ports.clock,
      logger: ports.logger,
      workDir: join(ports.paths.cacheDir, 'worker-benchmark'),
      modelPaths: store.readPaths(),
      providers: req.providers,
      ...(ports.workerEntry ? { entry: ports.workerEntry } : {}),
    });
    const offState = supervisor.onState((s) => req.onWorkerPid?.(s.pid));
    try {
      return await runBenchmark({ supervisor, store, onProgress: req.onProgress, ...(options.iterations ? { iterations: options.iterations } : {}) });
    } finally {
      offState();
      req.onWorkerPid?.(null);
      await supervisor.stop().catch(() => undefined);
    }
  };
}
