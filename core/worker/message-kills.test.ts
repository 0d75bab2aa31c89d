import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forkLauncher } from '../node-ports.ts';
import { affineReference } from '../models/onnx-builder.ts';
import type { Tensor } from '../../common/worker/protocol.ts';
import { realSupervisor, writeAffineModel } from './test-helpers.ts';
import { processAlive } from '../process-alive.ts';
import { allKillPoints, fromWorkerScenarios, hostMessageTypes, killingLauncher, runKillCase, toWorkerScenarios, workerMessageTypes } from './testing/message-kills.ts';

const input: Tensor = { dtype: 'float32', dims: [1, 4], data: Float32Array.from([1, 2, 3, 4]) };
const expectOutput = (y: Tensor | undefined) => assert.deepEqual([...(y?.data as Float32Array)], [...affineReference(input.data as Float32Array)]);

test('every protocol message type has a kill scenario, both ways (read from the schemas)', () => {
  assert.deepEqual(Object.keys(toWorkerScenarios).sort(), [...hostMessageTypes].sort());
  assert.deepEqual(Object.keys(fromWorkerScenarios).sort(), [...workerMessageTypes].sort());
  assert.ok(allKillPoints().length >= 13);
});

test('SIGKILL of the real worker at each protocol message: the call in flight ends once, with a reason, and the next job runs', async (t) => {
  const harness = killingLauncher(forkLauncher);
  const { supervisor, store, dir } = realSupervisor({ launcher: harness.launcher, heartbeatIntervalMs: 100, restart: { baseMs: 20, maxMs: 100 } });
  t.after(() => supervisor.preempt(500));
  const model = await store.openFile(writeAffineModel(dir));
  let n = 0;
  const job = (id?: string) => ({ id: id ?? `k${++n}`, model, inputs: { x: input } });
  for (const point of allKillPoints()) {
    await t.test(`${point.direction} ${point.type}`, async () => {
      const report = await runKillCase({ supervisor, harness, model, job }, point, input, expectOutput);
      t.diagnostic(`${point.direction} ${point.type}: caught call ${report.outcome}; reason: ${report.reason ?? '(an intended stop)'}`);
    });
  }
  await supervisor.preempt(1000);
  // No orphan: every worker this test started is gone.
  assert.ok(harness.pids.length >= allKillPoints().length);
  assert.deepEqual(harness.pids.filter(processAlive), []);
});
