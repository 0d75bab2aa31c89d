import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateInputs } from './validate.ts';
import { tensorSchema, workerMessage, createSeqGuard } from '../../common/worker/protocol.ts';
import { scrubbedWorkerEnv } from '../worker/env.ts';

const spec = [{ name: 'x', dtype: 'float32' as const, shape: [null, 3, 48, null] }];
const x = (dims: number[]) => ({ x: { dtype: 'float32' as const, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) } });

test('inputs are checked for presence, dtype, rank, fixed dims, length and total bytes', () => {
  validateInputs(spec, x([2, 3, 48, 100]), 1e9);
  assert.throws(() => validateInputs(spec, x([2, 3, 32, 100]), 1e9), { code: 'input_shape', message: /\[\?, 3, 48, \?\]/ });
  assert.throws(() => validateInputs(spec, x([3, 48, 100]), 1e9), { code: 'input_shape' });
  assert.throws(() => validateInputs(spec, x([1, 3, 48, 0]), 1e9), { code: 'input_shape' });
  assert.throws(() => validateInputs(spec, x([1, 3, 48, 100]), 1000), { code: 'input_too_large' });
  assert.throws(() => validateInputs(spec, { x: { dtype: 'float64', dims: [1, 3, 48, 1], data: new Float64Array(144) } }, 1e9), { code: 'input_dtype' });
  assert.throws(() => validateInputs(spec, { x: { dtype: 'float32', dims: [1, 3, 48, 2], data: new Float32Array(5) } }, 1e9), { code: 'input_shape' });
  assert.throws(() => validateInputs(spec, {}, 1e9), { code: 'input_missing' });
});

test('worker messages are parsed strictly: tensors must match their dims and dtype class', () => {
  assert.equal(tensorSchema.safeParse({ dtype: 'float32', dims: [2, 2], data: new Float32Array(4) }).success, true);
  assert.equal(tensorSchema.safeParse({ dtype: 'float32', dims: [2, 2], data: new Float32Array(5) }).success, false);
  assert.equal(tensorSchema.safeParse({ dtype: 'float32', dims: [4], data: new Float64Array(4) }).success, false);
  assert.equal(tensorSchema.safeParse({ dtype: 'int64', dims: [1], data: new BigInt64Array(1) }).success, true);
  assert.equal(tensorSchema.safeParse({ dtype: 'uint8', dims: [1], data: new Uint8ClampedArray(1) }).success, false);
  assert.equal(tensorSchema.safeParse({ dtype: 'float32', dims: [1], data: [1] }).success, false);
  const result = { type: 'result', seq: 3, re: 2, jobId: 'j', provider: 'cpu', outputs: {}, runMs: 1 };
  assert.equal(workerMessage.safeParse(result).success, true);
  assert.equal(workerMessage.safeParse({ ...result, provider: 'tpu' }).success, false);
  assert.equal(workerMessage.safeParse({ ...result, extra: 1 }).success, false);
  const guard = createSeqGuard();
  assert.deepEqual([guard.accept(1), guard.accept(2), guard.accept(2), guard.accept(1), guard.accept(5)], [true, true, false, false, true]);
});

test('the worker environment keeps what runtimes need and drops anything secret', () => {
  const env = scrubbedWorkerEnv({
    PATH: '/usr/bin',
    LD_LIBRARY_PATH: '/opt/cuda/lib',
    CUDA_VISIBLE_DEVICES: '0',
    HEARTH_WALLET_PASSWORD: 'hunter2',
    RPC_URL: 'https://mainnet.example/v3/key',
    HEARTH_API_TOKEN: 't',
    AWS_SECRET_ACCESS_KEY: 's',
    HOME: '/root',
    NODE_OPTIONS: '--require evil.js',
  }, { HEARTH_WORKER_THREADS: '2', MY_TOKEN: 'x' });
  assert.deepEqual(env, { PATH: '/usr/bin', LD_LIBRARY_PATH: '/opt/cuda/lib', CUDA_VISIBLE_DEVICES: '0', HEARTH_WORKER_THREADS: '2', HEARTH_WORKER: '1' });
});
