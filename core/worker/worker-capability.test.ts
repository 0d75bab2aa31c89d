import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { contract } from '../../common/ipc/contract.ts';
import { forkLauncher, systemClock } from '../node-ports.ts';
import type { CapabilityContext } from '../capability.ts';
import { createWorkerCapability } from './worker-capability.ts';
import { memoryLogger, tempDir } from './test-helpers.ts';

test('models:list and worker:status answer in the contract shape, and worker:state follows the lifecycle', async (t) => {
  const dir = tempDir();
  const events: { event: string; payload: unknown }[] = [];
  const ctx = {
    ports: { launcher: forkLauncher, clock: systemClock, logger: memoryLogger(), paths: { dataDir: dir, cacheDir: join(dir, 'cache'), logsDir: dir } },
    settings: {},
    emit: (event: string, payload: unknown) => void events.push({ event, payload }),
  } as unknown as CapabilityContext;
  const cap = createWorkerCapability(ctx);
  t.after(() => cap.stop());
  cap.start();
  const models = contract.calls['models:list'].output.parse(await Promise.resolve(cap.handlers['models:list']()));
  assert.deepEqual(models.map((m) => [m.id, m.availability]), [['paddleocr-rec-v4', 'local'], ['paddleocr-det-v4', 'local'], ['paddleocr-cls-v2', 'local']]);
  const before = contract.calls['worker:status'].output.parse(cap.handlers['worker:status']());
  assert.equal(before.state, 'exited');
  await cap.supervisor.start();
  const after = contract.calls['worker:status'].output.parse(cap.handlers['worker:status']());
  assert.equal(after.state, 'ready');
  assert.ok(after.pid !== null && after.pid > 0);
  await cap.supervisor.preempt(150);
  const states = events.filter((e) => e.event === 'worker:state').map((e) => contract.events['worker:state'].parse(e.payload).state);
  assert.deepEqual(states, ['starting', 'ready', 'draining', 'exited']);
});
