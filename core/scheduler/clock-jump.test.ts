/**
 * The wall clock stepping (NTP, a user fixing the time, a dead RTC battery) while the
 * scheduler waits: its waits measured on the wall clock (the cool-down after a veto, the
 * retry after "no work") must neither stretch by the jump (stuck for a day) nor end early
 * (work starting before the cool-down). Idle time across jumps is covered in scheduler.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobHandle, JobSource } from './jobs.ts';
import { createHarness } from './test-support.ts';

process.env.TZ = 'UTC';
const DAY = 86_400_000;

/** Away at once (a locked screen), a game that closes: the scheduler is cooling for 60 s. */
async function cooling(jump: number) {
  const h = createHarness({ blockApps: ['cs2'], cooldownSeconds: 60 });
  h.activity.apply({ kind: 'lock' });
  h.setApps(['cs2']);
  h.scheduler.start();
  await h.scheduler.pollApps();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'blocked');
  h.setApps([]);
  await h.scheduler.pollApps();
  await h.fake.advance(1000);
  assert.equal(h.status().state, 'cooling');
  await h.fake.advance(10_000);
  h.fake.jump(jump);
  return h;
}

for (const [name, jump] of [['back a day', -DAY], ['back an hour', -3_600_000], ['forward a day', DAY]] as const) {
  test(`the cool-down after a game closes keeps its length when the clock steps ${name}`, async () => {
    const h = await cooling(jump);
    await h.fake.advance(30_000);
    assert.equal(h.status().state, 'cooling', 'not started early');
    assert.match(h.status().reason, /starting again in (1[0-9]|2[0-9]) s$/);
    assert.equal(h.jobs.alive(), null);
    await h.fake.advance(25_000);
    assert.equal(h.status().state, 'running', 'not stuck until the clock catches up');
    await h.stop();
  });
}

test('after "no work", the job source is asked again 30 s later even when the clock stepped back a day', async () => {
  let asked = 0;
  const handle = (): JobHandle => ({
    job: { id: 'late', kind: 'practice', label: 'late job', startedAt: 0, deviceId: 'nvidia:0' },
    done: new Promise(() => undefined),
    preempt: () => Promise.resolve(),
  });
  const source: JobSource = {
    kind: 'practice',
    describe: () => 'work on the second ask',
    start: () => (++asked === 1 ? { none: 'nothing posted yet' } : handle()),
  };
  const h = createHarness({}, undefined, undefined, { jobSource: source });
  h.activity.apply({ kind: 'lock' });
  h.scheduler.start();
  await h.fake.advance(1000);
  assert.equal(asked, 1);
  assert.match(h.status().reason, /no work: nothing posted yet/);
  await h.fake.advance(5000);
  h.fake.jump(-DAY);
  await h.fake.advance(20_000);
  assert.equal(asked, 1, 'not asked early');
  await h.fake.advance(10_000);
  assert.equal(asked, 2, 'asked again about 30 s after the first time, not a day later');
  assert.equal(h.status().state, 'running');
  await h.stop();
});
