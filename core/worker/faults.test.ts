import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realSupervisor } from './test-helpers.ts';
import type { ResolvedModel } from '../models/store.ts';

// The fixture worker ignores the model; any well-formed key will do (its path is granted like a model file given by path).
const model: ResolvedModel = { key: 'a'.repeat(64), path: '/nonexistent.onnx', sizeBytes: 1 };
const job = (mode: number) => ({ model, inputs: { x: { dtype: 'float32' as const, dims: [1, 4], data: Float32Array.from([mode, 2, 3, 4]) } } });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return String((error as { code?: string }).code);
  }
}

test('a worker that crashes, hangs, lies or bloats fails only its own job; the host carries on', async (t) => {
  const { supervisor } = realSupervisor({
    fixture: true,
    modelPaths: [model.path],
    jobTimeoutMs: 1500,
    memoryLimitMb: 300,
    memorySampleMs: 50,
    heartbeatIntervalMs: 100,
    heartbeatTimeoutMs: 600,
  });
  t.after(() => supervisor.preempt(500));
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok');

  assert.equal(await codeOf(supervisor.run(job(1))), 'worker_crashed');
  assert.match(supervisor.status().crashes[0]?.reason ?? '', /exited with code 70/);
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok'); // restarted after backoff

  assert.equal(await codeOf(supervisor.run(job(2))), 'job_timeout');
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok');

  assert.equal(await codeOf(supervisor.run(job(3))), 'worker_memory_exceeded');
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok');

  // Garbage from the worker is a protocol violation: the worker is replaced, the host is fine.
  assert.equal(await codeOf(supervisor.run(job(4))), 'worker_protocol');
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok');

  // A worker that goes silent while idle is declared unresponsive and replaced.
  assert.equal(await codeOf(supervisor.run(job(5))), 'ok');
  const started = Date.now();
  while (!supervisor.status().crashes.some((c) => c.code === 'worker_unresponsive') && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(supervisor.status().crashes.some((c) => c.code === 'worker_unresponsive'));
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok');

  const codes = supervisor.status().crashes.map((c) => c.code);
  assert.deepEqual(codes, ['worker_unresponsive', 'worker_protocol', 'worker_memory_exceeded', 'job_timeout', 'worker_crashed']);
});

test('jobs queued behind one that kills the worker are run by the next worker, not failed', async (t) => {
  const { supervisor } = realSupervisor({ fixture: true, modelPaths: [model.path] });
  t.after(() => supervisor.preempt(500));
  await supervisor.start();
  const results = await Promise.all([job(0), job(1), job(0), job(0)].map((j) => codeOf(supervisor.run(j))));
  assert.deepEqual(results, ['ok', 'worker_crashed', 'ok', 'ok']);
});

test('cancel() fails a queued job at once and replaces a worker stuck in a running one', async (t) => {
  const { supervisor } = realSupervisor({ fixture: true, modelPaths: [model.path], pipelineDepth: 1 });
  t.after(() => supervisor.preempt(500));
  await supervisor.start();
  const stuck = supervisor.run({ ...job(2), id: 'stuck' });
  const queued = supervisor.run({ ...job(0), id: 'queued' });
  const abort = new AbortController();
  const viaSignal = supervisor.run({ ...job(0), id: 'signalled', signal: abort.signal });
  assert.equal(supervisor.cancel('queued'), true);
  abort.abort();
  assert.equal(await codeOf(queued), 'cancelled');
  assert.equal(await codeOf(viaSignal), 'cancelled');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(supervisor.cancel('stuck'), true);
  assert.equal(await codeOf(stuck), 'cancelled');
  assert.equal(await codeOf(supervisor.run(job(0))), 'ok'); // a fresh worker took over
  assert.equal(supervisor.cancel('nope'), false);
});
