/**
 * The worker killed (SIGKILL) at random protocol messages, many times over, with jobs queued
 * beside the one caught: the long version of core/worker/message-kills.test.ts.
 *   node --import tsx bench/worker-faults.ts [--trials 100] [--seed 1]
 * Prints:
 *   figure faults.worker_kills — kills done (each at one message type, either direction)
 *   figure faults.worker_lost  — jobs or calls that hung, ended twice, ended without a reason,
 *                                or were not followed by a working worker (goal: 0; exits 1 otherwise)
 */
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { forkLauncher } from '../core/node-ports.ts';
import { affineReference } from '../core/models/onnx-builder.ts';
import { realSupervisor, writeAffineModel } from '../core/worker/test-helpers.ts';
import { allKillPoints, killingLauncher, runKillCase } from '../core/worker/testing/message-kills.ts';
import { processAlive } from '../core/process-alive.ts';
import type { Tensor } from '../common/worker/protocol.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } } });
const trials = Math.max(1, Number(values.trials));
// A small seeded generator, so a failing run can be repeated with the same --seed.
let state = Number(values.seed) >>> 0 || 1;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const input: Tensor = { dtype: 'float32', dims: [1, 4], data: Float32Array.from([1, 2, 3, 4]) };
const expectOutput = (y: Tensor | undefined) => assert.deepEqual([...(y?.data as Float32Array)], [...affineReference(input.data as Float32Array)]);

const harness = killingLauncher(forkLauncher);
const { supervisor, store, dir } = realSupervisor({ launcher: harness.launcher, heartbeatIntervalMs: 100, restart: { baseMs: 20, maxMs: 100 } });
const model = await store.openFile(writeAffineModel(dir));
let n = 0;
const job = (id?: string) => ({ id: id ?? `b${++n}`, model, inputs: { x: input } });
const points = allKillPoints();
let kills = 0;
let lost = 0;
for (let i = 0; i < trials; i++) {
  const point = points[Math.floor(random() * points.length)] ?? points[0];
  if (!point) break;
  const extras = Math.floor(random() * 4);
  try {
    await runKillCase({ supervisor, harness, model, job }, point, input, expectOutput, extras);
    kills += 1;
  } catch (error) {
    lost += 1;
    console.error(`trial ${i}: kill at ${point.direction} ${point.type} with ${extras} queued: ${(error as Error).message}`);
    await supervisor.preempt(1000);
  }
}
await supervisor.preempt(1000);
const orphans = harness.pids.filter(processAlive);
if (orphans.length > 0) console.error(`orphan workers left: ${orphans.join(', ')}`);
console.log(`figure faults.worker_kills ${kills} kills`);
console.log(`figure faults.worker_lost ${lost + orphans.length} jobs`);
process.exitCode = lost + orphans.length > 0 ? 1 : 0;
