import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSchedulerStatus, schedulerCommand } from './scheduler.ts';

test('hearth scheduler: readable status lines, usage errors, and "not running" without a daemon', async () => {
  const text = describeSchedulerStatus({
    state: 'blocked',
    reason: 'Paused — cs2.exe is running',
    since: 1,
    idleSeconds: 600,
    idleThresholdSeconds: 300,
    vetoes: [
      { kind: 'app', message: 'Paused — cs2.exe is running' },
      { kind: 'battery', message: 'Paused — running on battery' },
    ],
    pause: { kind: 'none' },
    finishingThenPause: false,
    job: null,
    jobSource: { kind: 'practice', description: 'practice' },
    signals: [{ signal: 'input', available: false, detail: 'No X11 display (DISPLAY is not set).' }],
    jobsCompleted: 3,
    jobsPreempted: 2,
    lastYieldMs: 47.6,
    testHooks: false,
  });
  assert.equal(
    text,
    [
      'blocked: Paused — cs2.exe is running',
      '  also        running on battery',
      '  jobs        3 finished, 2 stopped for you (last in 48 ms)',
      '  input       cannot see — No X11 display (DISPLAY is not set).',
      '',
    ].join('\n'),
  );
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env: {} };
  assert.equal(await schedulerCommand.run(['pause', 'forever'], io), 2);
  assert.match(err.join(''), /Usage: hearth scheduler/);
  const dir = await mkdtemp(join(tmpdir(), 'hearth-cli-'));
  try {
    assert.equal(await schedulerCommand.run(['--data-dir', dir], io), 3);
    assert.match(err.join(''), /Hearth is not running/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
