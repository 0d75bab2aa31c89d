import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness } from './test-support.ts';

process.env.TZ = 'UTC';
const MIN = 60_000;

test('typing bursts keep it waiting; 5 min of quiet starts work; one key press gives the machine back', async () => {
  const h = createHarness();
  h.scheduler.start();
  assert.equal(h.status().state, 'waiting');
  assert.match(h.status().reason, /^Waiting — you were active 0 s ago \(starts after 5 min idle\)$/);
  // Bursts of typing every 90 s for 10 minutes: never long enough.
  for (let i = 0; i < 7; i++) {
    await h.fake.advance(90_000);
    h.activity.apply({ kind: 'input' });
    assert.equal(h.status().state, 'waiting');
    assert.equal(h.jobs.alive(), null);
  }
  await h.fake.advance(40_000);
  assert.equal(h.status().reason, 'Waiting — you were active 40 s ago (starts after 5 min idle)');
  await h.fake.advance(5 * MIN - 40_000);
  assert.equal(h.status().state, 'ready', 'model loading shows as ready');
  assert.match(h.status().reason, /^Ready — you have been away 5 min; starting practice work \(unpaid\)/);
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  assert.ok(h.jobs.alive());
  assert.equal(h.activity.isUrgent(), true, 'sources poll fast while a job runs');
  h.activity.apply({ kind: 'input' });
  assert.equal(h.status().state, 'yielding');
  assert.equal(h.status().reason, 'Yielding — you are back; stopping the job');
  await h.fake.advance(h.jobs.preemptMs);
  assert.equal(h.jobs.alive(), null);
  assert.equal(h.status().state, 'waiting');
  assert.equal(h.status().lastYieldMs, h.jobs.preemptMs);
  assert.equal(h.status().jobsPreempted, 1);
  assert.equal(h.activity.isUrgent(), false);
  await h.stop();
});

test('a locked screen counts as away at once; unlocking preempts', async () => {
  const h = createHarness();
  h.scheduler.start();
  h.activity.apply({ kind: 'input' });
  h.activity.apply({ kind: 'lock' });
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  assert.match(h.status().reason, /your screen is locked/);
  h.activity.apply({ kind: 'unlock' });
  assert.equal(h.status().state, 'yielding');
  await h.fake.advance(200);
  assert.equal(h.jobs.alive(), null);
  assert.equal(h.status().state, 'waiting');
  await h.stop();
});

test('a game starting mid-job preempts; after it closes, a cool-down avoids flapping', async () => {
  const h = createHarness({ blockApps: ['cs2.exe', 'dota2'] });
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  h.setApps(['bash', 'cs2']); // the list says cs2.exe; the process shows as "cs2" on Linux
  await h.fake.advance(2000); // urgent app poll period
  await h.fake.advance(100);
  assert.equal(h.jobs.alive(), null);
  assert.equal(h.status().state, 'blocked');
  assert.equal(h.status().reason, 'Paused — cs2.exe is running');
  h.setApps(['bash']);
  await h.fake.advance(5000);
  assert.equal(h.status().state, 'cooling');
  assert.match(h.status().reason, /^Cooling down — cs2\.exe closed; starting again in \d+ s$/);
  h.setApps(['cs2']); // flaps back: blocked again, no job started in between
  await h.fake.advance(5000);
  assert.equal(h.status().state, 'blocked');
  assert.equal(h.jobs.log.length, 1);
  h.setApps([]);
  await h.fake.advance(70_000);
  assert.equal(h.status().state, 'running');
  await h.stop();
});

test('GPU heating past the limit preempts, and hysteresis holds until it is 5 °C under', async () => {
  const h = createHarness({ maxGpuTempC: 80, cooldownSeconds: 0 });
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.setGpu(70);
  h.scheduler.start();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  h.setGpu(84);
  assert.equal(h.status().state, 'yielding');
  await h.fake.advance(100);
  assert.equal(h.status().state, 'blocked');
  assert.equal(h.status().reason, 'Paused — GPU at 84 °C, your limit is 80 °C');
  h.setGpu(78);
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'blocked');
  assert.equal(h.status().reason, 'Paused — GPU cooling down: 78 °C, starts again below 75 °C (your limit is 80 °C)');
  h.setGpu(74);
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  await h.stop();
});

test('another compute process on the GPU and a power limit veto work', async () => {
  const h = createHarness({ maxGpuPowerW: 200, cooldownSeconds: 0 });
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  await h.fake.advance(1000);
  h.setGpu(60, ['blender']);
  await h.fake.advance(200);
  assert.equal(h.status().reason, 'Paused — blender is using GPU 0');
  h.setGpu(60, [], 250);
  await h.fake.advance(200);
  assert.equal(h.status().reason, 'Paused — GPU drawing 250 W, your limit is 200 W');
  h.setGpu(60, [], 190); // within 10 % of the limit: still held
  assert.equal(h.status().state, 'blocked');
  h.setGpu(60, [], 150);
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  await h.stop();
});

test('suspend during a job preempts; waking counts as activity', async () => {
  const h = createHarness({ cooldownSeconds: 0 });
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  h.activity.apply({ kind: 'suspend' });
  assert.equal(h.status().state, 'yielding');
  assert.match(h.status().reason, /going to sleep/);
  await h.fake.advance(100);
  assert.equal(h.jobs.alive(), null);
  h.fake.jump(8 * 3600_000); // asleep overnight
  h.activity.apply({ kind: 'resume' });
  assert.equal(h.status().state, 'waiting');
  await h.fake.advance(5 * MIN + 2000);
  assert.equal(h.status().state, 'running');
  await h.stop();
});

test('clock jumps: a forward jump while typing never looks like idle time', async () => {
  const h = createHarness();
  h.scheduler.start();
  h.activity.apply({ kind: 'input' });
  await h.fake.advance(10_000);
  // The scripted source measures idle on the wall clock, so after this it claims 2 h idle.
  h.fake.jump(2 * 3600_000);
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'waiting');
  assert.equal(h.jobs.alive(), null);
  await h.fake.advance(5 * MIN + 2000);
  assert.equal(h.status().state, 'running', 'idle counts again from the jump');
  h.activity.apply({ kind: 'input' });
  await h.fake.advance(100);
  h.fake.jump(-3 * 3600_000); // backwards: the scripted source now reads 0 s idle for 3 h
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'waiting');
  assert.equal(h.jobs.alive(), null);
  await h.stop();
});

test('pause for an hour, until tomorrow, until resumed; finish the current job first', async () => {
  const h = createHarness();
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  await h.scheduler.pause('hour', false);
  assert.equal(h.status().state, 'yielding');
  await h.fake.advance(100);
  assert.equal(h.status().state, 'paused');
  assert.equal(h.status().reason, 'Paused — until today 13:00');
  await h.fake.advance(60 * MIN + 2000);
  assert.equal(h.status().state, 'running', 'the pause wears off by itself');
  await h.scheduler.pause('resume', true);
  assert.equal(h.status().state, 'running');
  assert.equal(h.status().reason, 'Finishing the current job, then pausing — you paused Hearth');
  assert.equal(h.status().finishingThenPause, true);
  await h.fake.advance(60_000);
  assert.equal(h.jobs.log.at(-1)?.outcome, 'completed');
  assert.equal(h.status().state, 'paused');
  assert.equal(h.status().reason, 'Paused — until you resume');
  await h.fake.advance(2 * 60 * MIN);
  assert.equal(h.status().state, 'paused');
  await h.scheduler.pause('tomorrow', false);
  assert.match(h.status().reason, /^Paused — until tomorrow 00:00$/);
  await h.scheduler.resume();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  await h.stop();
});

test('"finish the job, then pause" lets a returning user wait for the job; a veto still preempts', async () => {
  const h = createHarness({ finishJobThenPause: true });
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  await h.fake.advance(1000);
  h.activity.apply({ kind: 'input' });
  assert.equal(h.status().state, 'running');
  assert.equal(h.status().reason, 'Finishing the current job, then pausing — you are back');
  await h.fake.advance(30_000);
  h.activity.apply({ kind: 'input' });
  await h.fake.advance(30_000);
  assert.equal(h.jobs.log.at(-1)?.outcome, 'completed');
  assert.equal(h.status().state, 'waiting', 'no new job while you are here');
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  h.activity.apply({ kind: 'input' });
  h.activity.apply({ kind: 'power', onBattery: true, batteryPct: 90 });
  assert.equal(h.status().state, 'yielding');
  await h.stop();
});

test('battery rules', async () => {
  const h = createHarness({ battery: 'above-level', minBatteryPct: 50, cooldownSeconds: 0 });
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.activity.apply({ kind: 'power', onBattery: true, batteryPct: 40 });
  h.scheduler.start();
  assert.equal(h.status().reason, 'Paused — battery at 40 %, your minimum is 50 %');
  h.activity.apply({ kind: 'power', onBattery: true, batteryPct: 80 });
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  h.setSettings({ battery: 'never' });
  assert.equal(h.status().state, 'yielding');
  await h.fake.advance(100);
  assert.equal(h.status().reason, 'Paused — running on battery');
  await h.stop();
});

test('unknown idle time waits and says why, unless the user chose to run anyway', async () => {
  const h = createHarness();
  h.activity.apply({ kind: 'input-unavailable', reason: 'No X11 display (DISPLAY is not set).' });
  h.scheduler.start();
  await h.fake.advance(10 * MIN);
  assert.equal(h.status().state, 'waiting');
  assert.equal(h.status().reason, 'Waiting — Hearth cannot see keyboard or mouse activity on this machine. If nobody uses it, turn on “Run when activity is unknown” in Settings');
  assert.deepEqual(h.status().signals.find((x) => x.signal === 'input'), { signal: 'input', available: false, detail: 'No X11 display (DISPLAY is not set).' });
  assert.equal(h.jobs.alive(), null);
  h.setSettings({ runWhenIdleUnknown: true });
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  await h.stop();
});

test('schedule windows, every device off, and the thermal state veto', async () => {
  // 2026-01-05 is a Monday; the harness starts at 21:50 UTC.
  const h = createHarness({ scheduleEnabled: true, schedule: [{ day: 'mon', start: '22:00', end: '06:00' }], cooldownSeconds: 0 }, {}, Date.UTC(2026, 0, 5, 21, 50));
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  assert.equal(h.status().reason, 'Paused — outside your schedule (next window today 22:00)');
  await h.fake.advance(10 * MIN + 2000);
  assert.equal(h.status().state, 'running');
  h.setDevices([]);
  assert.equal(h.status().state, 'yielding');
  await h.fake.advance(100);
  assert.equal(h.status().reason, 'Paused — every device is turned off in Settings');
  h.setDevices(['cpu']);
  await h.fake.advance(2000);
  h.activity.apply({ kind: 'thermal', state: 'serious' });
  await h.fake.advance(200);
  assert.equal(h.status().reason, 'Paused — the computer is running hot (thermal state: serious)');
  h.activity.apply({ kind: 'thermal', state: 'nominal' });
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'running');
  h.fake.jump(7 * 60 * MIN + 58 * MIN); // to Tuesday ~05:58 without replaying every tick
  await h.fake.advance(2 * MIN); // Tuesday 06:00 passes: the window closes
  assert.equal(h.status().state, 'blocked');
  assert.equal(h.jobs.alive(), null);
  await h.stop();
});

test('status events are published on change only, and stop() preempts a running job', async () => {
  const h = createHarness();
  h.activity.apply({ kind: 'idle', seconds: 3600 });
  h.scheduler.start();
  await h.fake.advance(1000);
  const count = h.statuses.length;
  assert.ok(count >= 2);
  assert.equal(h.statuses.at(-1)?.state, 'running');
  h.scheduler.refresh();
  assert.equal(h.statuses.length, count);
  const stopping = h.scheduler.stop();
  await h.fake.advance(100);
  await stopping;
  assert.equal(h.jobs.alive(), null);
});
