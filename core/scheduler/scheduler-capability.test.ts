import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHearthError } from '../../common/errors.ts';
import type { SchedulerStatus } from '../../common/ipc/groups/scheduler.ts';
import type { CapabilityContext } from '../capability.ts';
import { unknownActivity, noSecretStore, forkLauncher } from '../node-ports.ts';
import { openSettingsStore } from '../settings/store.ts';
import { createSchedulerCapability } from './scheduler-capability.ts';
import { createFakeClock, createFakeJobs, silentLogger, type FakeClock } from './test-support.ts';

async function build(dataDir: string, fake: FakeClock, testHooks: boolean) {
  const settings = await openSettingsStore(dataDir, () => fake.clock.now());
  const events: SchedulerStatus[] = [];
  const ctx: CapabilityContext = {
    ports: {
      shell: 'daemon',
      version: 'test',
      clock: fake.clock,
      logger: silentLogger,
      paths: { dataDir, cacheDir: join(dataDir, 'cache'), logsDir: join(dataDir, 'logs') },
      secrets: noSecretStore,
      launcher: forkLauncher,
      notifier: { notify: () => undefined },
      activity: unknownActivity,
    },
    settings,
    emit: (event, payload) => {
      if (event === 'scheduler:status') events.push(payload as SchedulerStatus);
    },
  };
  const jobs = createFakeJobs(fake.clock);
  let watched = 0;
  const hardware = { inventory: () => null, latest: () => null, watchClosely: () => void watched++ };
  const cap = createSchedulerCapability(ctx, { testHooks, jobs: jobs.source, hardware });
  return { cap, jobs, events, settings, watched: () => watched };
}

test('without test hooks the scripted source is refused and unknown activity is reported, not assumed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-sched-'));
  try {
    const fake = createFakeClock();
    const { cap } = await build(dir, fake, false);
    cap.start();
    await fake.advance(1000);
    await assert.rejects(
      async () => cap.handlers['scheduler:test-drive']({ steps: [{ kind: 'input' }] }),
      (e: unknown) => isHearthError(e) && e.code === 'test_hooks_disabled',
    );
    const status = cap.handlers['scheduler:status']();
    assert.equal(status.state, 'waiting');
    assert.equal(status.testHooks, false);
    assert.match(status.reason, /cannot see keyboard or mouse activity on this machine/);
    assert.equal(status.signals.find((s) => s.signal === 'input')?.available, false);
    await Promise.all([cap.stop(), fake.advance(1000)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with test hooks: scripted steps drive the states, status events flow, and a pause survives a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-sched-'));
  try {
    const fake = createFakeClock();
    const first = await build(dir, fake, true);
    first.cap.start();
    await first.cap.handlers['scheduler:test-drive']({ steps: [{ kind: 'idle', seconds: 600 }] });
    await fake.advance(1000);
    assert.equal(first.cap.status().state, 'running');
    assert.ok(first.watched() > 0, 'fast telemetry was asked for while working');
    await first.cap.handlers['scheduler:test-drive']({ steps: [{ kind: 'gpu', temperatureC: 90, powerDrawW: 100, otherProcesses: [] }] });
    await fake.advance(200);
    assert.equal(first.cap.status().reason, 'Paused — GPU at 90 °C, your limit is 80 °C');
    await first.cap.handlers['scheduler:test-drive']({
      steps: [
        { kind: 'gpu', temperatureC: 40, powerDrawW: 100, otherProcesses: [] },
        { kind: 'apps', names: ['C:\\Games\\CS2.EXE'] },
      ],
    });
    assert.equal(first.cap.status().reason, 'Paused — cs2.exe is running');
    const paused = await first.cap.handlers['scheduler:pause']({ duration: 'resume', finishCurrent: false });
    assert.equal(paused.state, 'paused');
    assert.deepEqual(first.settings.get().scheduler.pause, { kind: 'indefinite' });
    assert.ok(first.events.some((e) => e.state === 'running') && first.events.at(-1)?.state === 'paused');
    await Promise.all([first.cap.stop(), fake.advance(1000)]);

    const second = await build(dir, fake, true);
    second.cap.start();
    assert.equal(second.cap.status().state, 'paused');
    assert.equal(second.cap.status().reason, 'Paused — until you resume');
    const resumed = await second.cap.handlers['scheduler:resume']();
    assert.notEqual(resumed.state, 'paused');
    assert.deepEqual(second.settings.get().scheduler.pause, { kind: 'none' });
    await Promise.all([second.cap.stop(), fake.advance(1000)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
