import type { ProviderName, Tensor } from '../../common/worker/protocol.ts';
import { BENCHMARK_MODEL_ID } from '../models/catalog.ts';
import type { ModelStore, ResolvedModel } from '../models/store.ts';
import type { WorkerSupervisor } from './supervisor.ts';

export interface BenchmarkProgress {
  phase: 'loading' | 'warmup' | 'measuring';
  done: number;
  total: number;
}

export interface BenchmarkResult {
  modelId: string;
  /** The execution provider that actually ran the benchmark. */
  provider: ProviderName;
  /** The device score: inferences per second on the fixed workload. */
  inferencesPerSecond: number;
  iterations: number;
  batch: number;
  elapsedMs: number;
}

/** A deterministic pseudo-image: the same bytes on every machine, so scores compare. */
export function benchmarkInput(batch: number, width = 320): Tensor {
  const data = new Float32Array(batch * 3 * 48 * width);
  let seed = 0x2545f491;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = (seed >>> 8) / 2 ** 24 - 0.5;
  }
  return { dtype: 'float32', dims: [batch, 3, 48, width], data };
}

/**
 * The device benchmark: the PaddleOCR recognizer on fixed 48×320 crops, through the real
 * worker. Reports inferences per second (one crop = one inference) and the provider that
 * ran it. `onProgress` is called as it goes; the hardware capability stores the score.
 */
export async function runBenchmark(options: {
  supervisor: WorkerSupervisor;
  store: ModelStore;
  onProgress?: (progress: BenchmarkProgress) => void;
  /** Catalog id of another model taking a [batch, 3, 48, width] float input (default the recognizer). */
  modelId?: string;
  model?: ResolvedModel;
  iterations?: number;
  batch?: number;
  warmup?: number;
}): Promise<BenchmarkResult> {
  const iterations = options.iterations ?? 40;
  const warmup = options.warmup ?? 3;
  const batch = options.batch ?? 1;
  const modelId = options.modelId ?? BENCHMARK_MODEL_ID;
  options.onProgress?.({ phase: 'loading', done: 0, total: iterations });
  const model = options.model ?? (await options.store.ensure(modelId));
  await options.supervisor.start();
  const input = benchmarkInput(batch);
  const job = () => options.supervisor.run({ model, inputs: { [model.entry?.inputs[0]?.name ?? 'x']: input } });
  for (let i = 0; i < warmup; i++) {
    await job();
    options.onProgress?.({ phase: 'warmup', done: i + 1, total: warmup });
  }
  const started = performance.now();
  let provider: ProviderName = 'cpu';
  let done = 0;
  // Two jobs in flight keep the worker fed while results cross the pipe.
  const runners = [0, 1].map(async () => {
    while (done < iterations) {
      done += 1;
      const result = await job();
      provider = result.provider;
      options.onProgress?.({ phase: 'measuring', done: Math.min(done, iterations), total: iterations });
    }
  });
  await Promise.all(runners);
  const elapsedMs = performance.now() - started;
  return { modelId, provider, inferencesPerSecond: (done * batch * 1000) / elapsedMs, iterations: done, batch, elapsedMs };
}
