import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { affineReference } from '../models/onnx-builder.ts';
import { hashFile } from '../models/store.ts';
import { benchmarkInput } from './benchmark.ts';
import { realSupervisor, writeAffineModel } from './test-helpers.ts';
import type { Tensor } from '../../common/worker/protocol.ts';

const f32 = (dims: number[], values: number[] | Float32Array): Tensor => ({ dtype: 'float32', dims, data: Float32Array.from(values) });

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${(error as Error).message}`);
    return error as Error;
  }
  assert.fail(`expected a ${code} error`);
}

test('the forked worker runs a generated model and returns the exact known outputs', async (t) => {
  const { supervisor, store, dir } = realSupervisor();
  t.after(() => supervisor.preempt(500));
  const model = await store.openFile(writeAffineModel(dir));
  const x = Float32Array.from([1, 2, 3, 4, -1, 0.5, 2, 0, 0, 0, 0, 0]);
  const result = await supervisor.run({ model, inputs: { x: f32([3, 4], x) } });
  assert.equal(result.provider, 'cpu'); // no GPU libraries on this machine: never claim one
  assert.deepEqual(result.outputs.y?.dims, [3, 3]);
  assert.deepEqual([...(result.outputs.y?.data as Float32Array)], [...affineReference(x)]);
  assert.deepEqual([...(result.outputs.y?.data as Float32Array)].slice(0, 3), [15.5, 3, 5]);

  // Batches can be sliced so cancel/shutdown are heard between slices; the result is the same.
  const many = Float32Array.from({ length: 40 }, (_, i) => (i % 7) - 3);
  const sliced = await supervisor.run({ model, inputs: { x: f32([10, 4], many) }, sliceRows: 3 });
  assert.deepEqual([...(sliced.outputs.y?.data as Float32Array)], [...affineReference(many)]);

  // Wrong shape, wrong dtype, unknown input and oversized inputs fail before reaching ORT.
  await rejectsWith(supervisor.run({ model, inputs: { x: f32([2, 5], new Float32Array(10)) } }), 'input_shape');
  await rejectsWith(supervisor.run({ model, inputs: { x: { dtype: 'int32', dims: [1, 4], data: new Int32Array(4) } } }), 'input_dtype');
  await rejectsWith(supervisor.run({ model, inputs: { x: f32([1, 4], new Float32Array(4)), z: f32([1], [1]) } }), 'input_unknown');
  await rejectsWith(supervisor.run({ model, inputs: {} }), 'input_missing');
  const status = supervisor.status();
  assert.equal(status.state, 'ready');
  assert.equal(status.crashes.length, 0);
});

test('PaddleOCR models from the registry package run in the worker and match in-process ORT', async (t) => {
  const { supervisor, store } = realSupervisor({ maxInputBytes: 8 * 1024 * 1024 });
  t.after(() => supervisor.preempt(500));
  const rec = await store.ensure('paddleocr-rec-v4');
  const input = benchmarkInput(2, 160);
  const result = await supervisor.run({ model: rec, inputs: { x: input } });
  const out = result.outputs['softmax_11.tmp_0'] as Tensor;
  assert.deepEqual(out.dims, [2, 20, 6625]);
  const reference = await ort.InferenceSession.create(rec.path);
  const direct = (await reference.run({ x: new ort.Tensor('float32', input.data as Float32Array, input.dims) }))['softmax_11.tmp_0'] as ort.Tensor;
  const a = out.data as Float32Array;
  const b = direct.data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
  assert.ok(maxDiff < 1e-4, `worker and in-process outputs differ by ${maxDiff}`);
  // Each timestep is a probability distribution over the 6625 classes.
  let rowSum = 0;
  for (let i = 0; i < 6625; i++) rowSum += a[i] as number;
  assert.ok(Math.abs(rowSum - 1) < 1e-3, `softmax row sums to ${rowSum}`);

  const cls = await store.ensure('paddleocr-cls-v2');
  const clsOut = await supervisor.run({ model: cls, inputs: { x: { dtype: 'float32', dims: [1, 3, 48, 192], data: new Float32Array(3 * 48 * 192) } } });
  const probs = clsOut.outputs['softmax_0.tmp_0'] as Tensor;
  assert.deepEqual(probs.dims, [1, 2]);
  assert.ok(Math.abs((probs.data[0] as number) + (probs.data[1] as number) - 1) < 1e-4);

  // The recognizer's fixed height is enforced from the catalog spec.
  await rejectsWith(supervisor.run({ model: rec, inputs: { x: { dtype: 'float32', dims: [1, 3, 32, 100], data: new Float32Array(3 * 32 * 100) } } }), 'input_shape');
  // An input over the byte cap never leaves the host.
  const huge = 1 * 3 * 48 * 20000;
  await rejectsWith(supervisor.run({ model: rec, inputs: { x: { dtype: 'float32', dims: [1, 3, 48, 20000], data: new Float32Array(huge) } } }), 'input_too_large');
  assert.equal(supervisor.state, 'ready');
});

test('a corrupt or swapped model file is refused with a clear error and the worker keeps serving', async (t) => {
  const { supervisor, store, dir } = realSupervisor();
  t.after(() => supervisor.preempt(500));
  const corruptPath = join(dir, 'corrupt.onnx');
  writeFileSync(corruptPath, Buffer.from('this is not a protobuf model at all'));
  const corrupt = await store.openFile(corruptPath);
  const error = await rejectsWith(supervisor.run({ model: corrupt, inputs: { x: f32([1, 4], [1, 2, 3, 4]) } }), 'model_invalid');
  assert.match(error.message, /could not be loaded/);

  // The file changes after it was verified: the worker re-hashes and refuses to load it.
  const good = await store.openFile(writeAffineModel(dir));
  const swapped = { ...good, key: await hashFile(corruptPath) };
  await rejectsWith(supervisor.run({ model: swapped, inputs: { x: f32([1, 4], [1, 2, 3, 4]) } }), 'model_hash_mismatch');

  const ok = await supervisor.run({ model: good, inputs: { x: f32([1, 4], [1, 2, 3, 4]) } });
  assert.deepEqual([...(ok.outputs.y?.data as Float32Array)], [15.5, 3, 5]);
  assert.equal(supervisor.status().crashes.length, 0);
});

test('a real job that outgrows the memory cap is killed with a memory error, then the worker recovers', async (t) => {
  const { supervisor, store, dir } = realSupervisor({ memoryLimitMb: 230, memorySampleMs: 50, maxInputBytes: 64 * 1024 * 1024 });
  t.after(() => supervisor.preempt(500));
  const det = await store.ensure('paddleocr-det-v4');
  const side = 1600;
  const error = await rejectsWith(
    supervisor.run({ model: det, inputs: { x: { dtype: 'float32', dims: [1, 3, side, side], data: new Float32Array(3 * side * side) } } }),
    'worker_memory_exceeded',
  );
  assert.match(error.message, /exceeded its memory limit/);
  assert.equal(supervisor.status().crashes[0]?.code, 'worker_memory_exceeded');
  const model = await store.openFile(writeAffineModel(dir));
  const ok = await supervisor.run({ model, inputs: { x: f32([1, 4], [1, 2, 3, 4]) } });
  assert.equal(ok.outputs.y?.data[0], 15.5);
});

test('preempt() stops a worker in the middle of a long inference and reports how long it took', async (t) => {
  const { supervisor, store } = realSupervisor({ maxInputBytes: 64 * 1024 * 1024 });
  t.after(() => supervisor.preempt(500));
  const det = await store.ensure('paddleocr-det-v4');
  await supervisor.start();
  const states: string[] = [];
  supervisor.onState((s) => states.push(s.state));
  const side = 1024;
  const job = supervisor.run({ model: det, inputs: { x: { dtype: 'float32', dims: [1, 3, side, side], data: new Float32Array(3 * side * side) } } });
  while (supervisor.state !== 'busy') await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 150)); // let ORT get deep into the run
  const jobOutcome = rejectsWith(job, 'preempted');
  const outcome = await supervisor.preempt(150);
  await jobOutcome;
  assert.equal(outcome.killed, true);
  assert.ok(outcome.ms >= 0);
  assert.equal(supervisor.state, 'exited');
  assert.deepEqual(states.slice(-2), ['draining', 'exited']);
  // Preempted is not a crash, and nothing restarts until asked.
  assert.equal(supervisor.status().crashes.length, 0);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(supervisor.status().pid, null);
  await supervisor.start();
  assert.equal(supervisor.state, 'ready');
});

test('big tensors cross through the exchange folder and leave nothing behind; inline mode gives the same answer', async (t) => {
  const { dir, store } = realSupervisor();
  const xfer = join(dir, 'xfer-test');
  const viaFiles = realSupervisor({ transferDir: xfer, maxInputBytes: 8 * 1024 * 1024 }).supervisor;
  const inline = realSupervisor({ transferDir: false, maxInputBytes: 8 * 1024 * 1024 }).supervisor;
  t.after(() => Promise.all([viaFiles.preempt(500), inline.preempt(500)]));
  const rec = await store.ensure('paddleocr-rec-v4');
  const input = benchmarkInput(1, 320); // 184 KB in, 1 MB out: both over the 64 KB file threshold
  const [a, b] = await Promise.all([viaFiles.run({ model: rec, inputs: { x: input } }), inline.run({ model: rec, inputs: { x: input } })]);
  assert.deepEqual(a.outputs['softmax_11.tmp_0']?.dims, [1, 40, 6625]);
  assert.deepEqual(a.outputs['softmax_11.tmp_0']?.data, b.outputs['softmax_11.tmp_0']?.data);
  await new Promise((r) => setTimeout(r, 50)); // the host unlinks its read files asynchronously
  assert.deepEqual(readdirSync(xfer), []);
});
