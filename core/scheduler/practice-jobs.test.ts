import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../common/errors.ts';
import { forkLauncher } from '../node-ports.ts';
import { createPracticeJobSource } from './practice-jobs.ts';
import { createFakeClock, silentLogger } from './test-support.ts';
import type { ModelStore, WorkerSupervisor } from '../worker/index.ts';

/** A supervisor that runs "inferences" of 20 fake ms and records what it was asked. */
function fakeWorker(clock: ReturnType<typeof createFakeClock>['clock']) {
  const log: string[] = [];
  let alive = false;
  let current: { reject: (e: Error) => void } | null = null;
  const supervisor = {
    onState: () => () => undefined,
    start: async () => {
      log.push('start');
      alive = true;
    },
    run: () =>
      new Promise((resolve, reject) => {
        if (!alive) return reject(new Error('run without a worker'));
        log.push('run');
        current = { reject };
        clock.setTimeout(() => {
          current = null;
          resolve({ jobId: 'x', outputs: {}, provider: 'cpu', timings: { queueMs: 0, loadMs: 0, runMs: 20, totalMs: 20 } });
        }, 20);
      }),
    preempt: async () => {
      log.push('preempt');
      alive = false;
      current?.reject(new HearthError('preempted', 'stopped for the user'));
      return { ms: 1, killed: false };
    },
    stop: async () => {
      log.push('stop');
      alive = false;
    },
  } as unknown as WorkerSupervisor;
  return { supervisor, log, alive: () => alive };
}

function setup(ensureMs: number, jobMs = 1000) {
  const fake = createFakeClock();
  const worker = fakeWorker(fake.clock);
  const store = {
    ensure: () => new Promise((r) => fake.clock.setTimeout(() => r({ key: 'k'.repeat(64), path: '/m.onnx', sizeBytes: 1 }), ensureMs)),
  } as unknown as ModelStore;
  const paths = { dataDir: '/tmp/x', cacheDir: '/tmp/x/cache', logsDir: '/tmp/x/logs' };
  const source = createPracticeJobSource({ ports: { launcher: forkLauncher, clock: fake.clock, logger: silentLogger, paths }, supervisor: worker.supervisor, store, jobMs });
  return { fake, worker, source };
}

test('a practice job loads the model, runs inferences until its time is up, then lets the worker go', async () => {
  const { fake, worker, source } = setup(100);
  const handle = source.start(['cpu']);
  assert.ok(!('none' in handle));
  let started = false;
  void handle.started?.then(() => (started = true));
  await fake.advance(150);
  assert.equal(started, true);
  await fake.advance(1200);
  assert.deepEqual(await handle.done, { kind: 'completed' });
  assert.ok(worker.log.filter((l) => l === 'run').length >= 40);
  assert.equal(worker.log.at(-1), 'stop');
  assert.equal(handle.job.kind, 'practice');
  assert.match(source.describe(), /pays nothing/);
});

test('preempted while the model is still loading: the worker is never started', async () => {
  const { fake, worker, source } = setup(500);
  const handle = source.start(['cpu']);
  assert.ok(!('none' in handle));
  await fake.advance(100);
  await handle.preempt();
  await fake.advance(1000);
  assert.deepEqual(await handle.done, { kind: 'preempted' });
  assert.ok(!worker.log.includes('start'), worker.log.join(','));
  assert.equal(worker.alive(), false);
});

test('preempted mid-inference: the run fails as preempted, no new run starts, a second job can follow', async () => {
  const { fake, worker, source } = setup(10);
  const handle = source.start(['nvidia:0', 'cpu']);
  assert.ok(!('none' in handle));
  assert.equal(handle.job.deviceId, 'nvidia:0');
  assert.deepEqual(source.start(['cpu']), { none: 'the previous practice job is still stopping' });
  await fake.advance(55);
  await handle.preempt();
  const runs = worker.log.filter((l) => l === 'run').length;
  await fake.advance(500);
  assert.deepEqual(await handle.done, { kind: 'preempted' });
  assert.equal(worker.log.filter((l) => l === 'run').length, runs, 'nothing ran after the preempt');
  assert.equal(worker.alive(), false);
  const next = source.start(['cpu']);
  assert.ok(!('none' in next));
  assert.deepEqual(source.start([]), { none: 'the previous practice job is still stopping' });
});
