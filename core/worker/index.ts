/**
 * The inference worker, seen from core. This is the stable surface other capabilities use;
 * import from here, not from the files behind it.
 *
 *   const store = createModelStore({ cacheDir: ports.paths.cacheDir });
 *   const worker = createWorkerSupervisor({
 *     launcher: ports.launcher, clock: ports.clock, logger: ports.logger,
 *     workDir: join(ports.paths.cacheDir, 'worker'),
 *   });
 *   await worker.start();                       // starting → ready
 *   const model = await store.ensure('paddleocr-rec-v4');
 *   const result = await worker.run({ model, inputs: { x: tensor } });
 *   result.outputs; result.provider;            // 'cpu' | 'cuda' | 'dml' | 'coreml': what actually ran
 *   const { ms, killed } = await worker.preempt(150);   // user is back: gone within the bound
 *   worker.onState((s) => ...);                 // starting | ready | busy | draining | exited
 *   worker.status();                            // state, pid, provider, restarts, crashes (reasons), rss, note
 *   worker.cancel(jobId); worker.stats(); await worker.inspect(model); await worker.stop();
 *
 * Behaviour worth knowing: one job runs at a time, with up to `pipelineDepth` (2) handed
 * over early; tensors over 64 KB travel as files in a private /dev/shm folder; heartbeats
 * pause during a run (ORT blocks the worker's thread), so the job timeout guards runs and
 * the heartbeat guards idle time; a crash fails only the running job, and jobs behind it
 * go to the restarted worker; preempt() and stop() never restart, start()/run() do.
 *   const score = await runBenchmark({ supervisor: worker, store, onProgress });
 *
 * Errors are HearthErrors with a stable `code`: input_missing, input_unknown, input_dtype,
 * input_shape, input_too_large, model_unknown, model_missing, model_truncated,
 * model_hash_mismatch, model_invalid, model_download_failed, job_timeout, cancelled,
 * preempted, stopped, worker_crashed, worker_memory_exceeded, worker_unresponsive,
 * worker_unavailable, output_too_large.
 */
export { createWorkerSupervisor, procRss } from './supervisor.ts';
export type { CrashRecord, InferenceJob, InferenceResult, SupervisorOptions, WorkerState, WorkerStatus, WorkerSupervisor } from './supervisor.ts';
export { runBenchmark, benchmarkInput } from './benchmark.ts';
export type { BenchmarkProgress, BenchmarkResult } from './benchmark.ts';
export { defaultWorkerEntry } from './entry.ts';
export type { WorkerEntry } from './entry.ts';
export { scrubbedWorkerEnv } from './env.ts';
export { createModelStore, hashFile } from '../models/store.ts';
export type { ModelStore, ResolvedModel, DownloadProgress } from '../models/store.ts';
export { builtinCatalog, BENCHMARK_MODEL_ID } from '../models/catalog.ts';
export type { Tensor, TensorDtype, ProviderName } from '../../common/worker/protocol.ts';
