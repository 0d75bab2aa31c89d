/**
 * Cost and reflexes of the isolated inference worker.
 *   node --import tsx bench/worker.ts [--rounds 6] [--jobs 12] [--trials 50]
 * Prints:
 *   figure worker.isolation_ratio_b1   — throughput through the forked worker ÷ direct in-process ORT,
 *   figure worker.isolation_ratio_b8     PaddleOCR recognizer (10.8 MB), 48×320 crops, batch 1 and 8,
 *                                        same session options (1 intra-op thread), interleaved rounds.
 *   figure worker.preempt_p50_ms       — preempt() → worker process gone, while the worker is inside a
 *   figure worker.preempt_p99_ms         long PaddleOCR detector run (1024×1024), over --trials trials.
 *   figure worker.main_loop_delay_p99_ms — host event-loop delay p99 while the worker runs back-to-back jobs.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { forkLauncher, systemClock, createStderrLogger } from '../core/node-ports.ts';
import { createWorkerSupervisor, createModelStore, benchmarkInput } from '../core/worker/index.ts';
import { sessionOptions } from '../worker/runtime.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' }, jobs: { type: 'string', default: '12' }, trials: { type: 'string', default: '50' } } });
const rounds = Math.max(1, Number(values.rounds));
const jobs = Math.max(2, Number(values.jobs));
const trials = Math.max(1, Number(values.trials));
const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-worker-'));
const logger = createStderrLogger('error');
const store = createModelStore({ cacheDir: join(dir, 'cache') });
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const figure = (name: string, value: number, unit: string) => console.log(`figure ${name} ${value.toFixed(unit === 'x' ? 3 : 1)} ${unit}`);

const rec = await store.ensure('paddleocr-rec-v4');
const supervisor = createWorkerSupervisor({ launcher: forkLauncher, clock: systemClock, logger, workDir: join(dir, 'work'), modelPaths: store.readPaths(), threads: 1 });
await supervisor.start();
const direct = await ort.InferenceSession.create(rec.path, sessionOptions('cpu', 1));
const loopDelay = monitorEventLoopDelay({ resolution: 1 });

for (const batch of [1, 8]) {
  const input = benchmarkInput(batch);
  const n = batch === 1 ? jobs * 2 : jobs;
  // Warm both paths (session creation, arena growth) before timing.
  for (let i = 0; i < 2; i++) {
    await supervisor.run({ model: rec, inputs: { x: input } });
    await direct.run({ x: new ort.Tensor('float32', input.data as Float32Array, input.dims) });
  }
  let workerMs = 0;
  let directMs = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    loopDelay.enable();
    // Submitted together, as the market loop does: the supervisor keeps the worker fed.
    await Promise.all(Array.from({ length: n }, () => supervisor.run({ model: rec, inputs: { x: input } })));
    loopDelay.disable();
    workerMs += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < n; i++) await direct.run({ x: new ort.Tensor('float32', input.data as Float32Array, input.dims) });
    directMs += performance.now() - t;
  }
  console.error(`batch ${batch}: worker ${(workerMs / (rounds * n)).toFixed(1)} ms/job, in-process ${(directMs / (rounds * n)).toFixed(1)} ms/job`);
  figure(`worker.isolation_ratio_b${batch}`, directMs / workerMs, 'x');
}
figure('worker.main_loop_delay_p99_ms', loopDelay.percentile(99) / 1e6, 'ms');
await direct.release();
await supervisor.stop();

const det = await store.ensure('paddleocr-det-v4');
const side = 1024;
const big = { dtype: 'float32' as const, dims: [1, 3, side, side], data: new Float32Array(3 * side * side) };
const preemptor = createWorkerSupervisor({
  launcher: forkLauncher,
  clock: systemClock,
  logger,
  workDir: join(dir, 'work-preempt'),
  modelPaths: store.readPaths(),
  threads: 1,
  maxInputBytes: 64 * 1024 * 1024,
});
const times: number[] = [];
let killedCount = 0;
for (let i = 0; i < trials; i++) {
  await preemptor.start();
  // Load outside the timed part so every trial preempts a run, not a model load.
  await preemptor.run({ model: det, inputs: { x: { dtype: 'float32', dims: [1, 3, 32, 32], data: new Float32Array(3 * 32 * 32) } } });
  const job = preemptor.run({ model: det, inputs: { x: big } }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 40 + ((i * 37) % 120)));
  const { ms, killed } = await preemptor.preempt(150);
  if (killed) killedCount += 1;
  times.push(ms);
  await job;
}
console.error(`preempt: ${trials} trials, ${killedCount} needed a kill, max ${Math.max(...times).toFixed(1)} ms`);
figure('worker.preempt_p50_ms', percentile(times, 50), 'ms');
figure('worker.preempt_p99_ms', percentile(times, 99), 'ms');
