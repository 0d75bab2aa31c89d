import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createHarness } from './test-support.ts';

process.env.TZ = 'UTC';

/**
 * Over random traces of activity, vetoes, pauses and clock jumps: no job is ever alive
 * while a veto has held, or the user has been active, for longer than the reaction bound.
 * Time in the world model is monotonic (jumps move only the wall clock), as for the OS.
 */

const PREEMPT_MS = 100;
/** Signals that arrive as events: the scheduler preempts at once, the job is gone after PREEMPT_MS. */
const EVENT_BOUND = PREEMPT_MS;
/** Running apps are polled (every 5 s, 2 s while working). */
const POLL_BOUND = 5000 + PREEMPT_MS;
const IDLE_MS = 5 * 60_000;
const TEMP_LIMIT = 80;

type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'input' | 'lock' | 'unlock' | 'suspend' | 'resume' | 'pause' | 'unpause' }
  | { kind: 'battery'; on: boolean }
  | { kind: 'thermal'; hot: boolean }
  | { kind: 'game'; running: boolean }
  | { kind: 'gpu'; temp: number; other: boolean }
  | { kind: 'jump'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(50, 150, 1000, 3000, 30_000, 310_000).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'input' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('lock', 'unlock', 'suspend', 'resume', 'pause', 'unpause').map((kind): Step => ({ kind })) },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'battery' as const, on })) },
  { weight: 1, arbitrary: fc.boolean().map((hot) => ({ kind: 'thermal' as const, hot })) },
  { weight: 1, arbitrary: fc.boolean().map((running) => ({ kind: 'game' as const, running })) },
  { weight: 1, arbitrary: fc.record({ temp: fc.integer({ min: 40, max: 95 }), other: fc.boolean() }).map((g) => ({ kind: 'gpu' as const, ...g })) },
  { weight: 1, arbitrary: fc.constantFrom(-7_200_000, -40_000, 40_000, 7_200_000).map((ms) => ({ kind: 'jump' as const, ms })) },
);

async function replay(steps: Step[]): Promise<void> {
  const h = createHarness({ maxGpuTempC: TEMP_LIMIT, blockApps: ['cs2.exe'] }, { preemptMs: PREEMPT_MS, startMs: 300, runMs: 90_000 }, undefined, {
    monotonicActivity: true,
  });
  const mono = h.fake.monotonic;
  // World model: since when (monotonic ms) each condition holds; null when it does not.
  let lastActive: number | null = mono(); // the harness's scripted user was active at start
  let locked = false;
  const since: Record<'sleep' | 'battery' | 'thermal' | 'game' | 'gpu' | 'pause', number | null> = {
    sleep: null,
    battery: null,
    thermal: null,
    game: null,
    gpu: null,
    pause: null,
  };
  const set = (key: keyof typeof since, on: boolean): void => {
    if (on) since[key] ??= mono();
    else since[key] = null;
  };
  const check = (where: string): void => {
    if (!h.jobs.alive()) return;
    const now = mono();
    for (const [key, start] of Object.entries(since)) {
      if (start === null) continue;
      const bound = key === 'game' ? POLL_BOUND : EVENT_BOUND;
      assert.ok(now - start <= bound, `${where}: a job is alive ${now - start} ms into "${key}" (bound ${bound} ms)`);
    }
    if (!locked && lastActive !== null) {
      const activeFor = now - lastActive;
      if (activeFor < IDLE_MS) assert.ok(activeFor <= EVENT_BOUND, `${where}: a job is alive ${activeFor} ms after the user was active`);
    }
  };

  h.scheduler.start();
  for (const [i, step] of steps.entries()) {
    const where = `step ${i} (${JSON.stringify(step)})`;
    switch (step.kind) {
      case 'advance': {
        // Check along the way too, not only at the end of a long advance.
        // A wrongly alive job stays alive past the next check, so 1 s slices catch it.
        const sliceMs = step.ms > 3000 ? 1000 : 50;
        for (let left = step.ms; left > 0; left -= sliceMs) {
          await h.fake.advance(Math.min(left, sliceMs));
          check(where);
        }
        break;
      }
      case 'input':
        h.activity.apply({ kind: 'input' });
        lastActive = mono();
        break;
      case 'lock':
        h.activity.apply({ kind: 'lock' });
        locked = true;
        break;
      case 'unlock':
        h.activity.apply({ kind: 'unlock' });
        locked = false;
        lastActive = mono(); // someone typed a password
        break;
      case 'suspend':
        h.activity.apply({ kind: 'suspend' });
        set('sleep', true);
        break;
      case 'resume':
        h.activity.apply({ kind: 'resume' });
        set('sleep', false);
        lastActive = mono();
        break;
      case 'pause':
        await h.scheduler.pause('resume', false);
        set('pause', true);
        break;
      case 'unpause':
        await h.scheduler.resume();
        set('pause', false);
        break;
      case 'battery':
        h.activity.apply({ kind: 'power', onBattery: step.on, batteryPct: 70 });
        set('battery', step.on);
        break;
      case 'thermal':
        h.activity.apply({ kind: 'thermal', state: step.hot ? 'critical' : 'nominal' });
        set('thermal', step.hot);
        break;
      case 'game':
        h.setApps(step.running ? ['cs2'] : []);
        set('game', step.running);
        break;
      case 'gpu':
        h.setGpu(step.temp, step.other ? ['blender'] : []);
        set('gpu', step.temp > TEMP_LIMIT || step.other);
        break;
      case 'jump':
        h.fake.jump(step.ms);
        break;
    }
    check(where);
  }
  await h.stop();
}

test('never a job while a veto holds or the user is active, beyond the reaction bound', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => replay(steps)),
    { numRuns: 120 },
  );
});

test('the property is not vacuous: random traces do run jobs', async () => {
  let ran = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 20, maxLength: 40 }), async (steps) => {
      const h = createHarness({}, { preemptMs: PREEMPT_MS }, undefined, { monotonicActivity: true });
      h.scheduler.start();
      for (const s of steps) {
        if (s.kind === 'advance') await h.fake.advance(s.ms);
        else if (s.kind === 'input') h.activity.apply({ kind: 'input' });
      }
      if (h.jobs.log.length > 0 || h.jobs.alive()) ran++;
      await h.stop();
    }),
    { numRuns: 30 },
  );
  assert.ok(ran > 0, 'no random trace ever started a job');
});
