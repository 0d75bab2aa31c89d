import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeClock } from '../scheduler/test-support.ts';
import { createLogindSources } from './logind.ts';
import { UNAVAILABLE_MS } from './poller.ts';
import type { RunCommand } from './run-command.ts';

// At rest the daemon must not spawn a tool every few seconds only to hear again that it is
// missing: that was its largest CPU cost on a server without a logind session.
test('a probe that finds nothing is asked again only after a minute, and at its normal pace once it answers', async () => {
  const fake = createFakeClock();
  let answer: 'none' | 'idle' = 'none';
  let calls = 0;
  // Read through a function: assert.equal narrows a variable to the literal it was compared with.
  const count = (): number => calls;
  const run: RunCommand = async () => {
    calls++;
    return answer === 'none' ? { ok: false, missing: false, reason: 'No session.' } : { ok: true, stdout: 'IdleHint=no\nIdleSinceHint=0\nLockedHint=no\n' };
  };
  const { input } = createLogindSources({ clock: fake.clock, run, sessionId: undefined, normalMs: 3000, urgentMs: 250 });
  input.start(() => undefined);
  await fake.advance(10);
  assert.equal(count(), 1);
  input.setUrgent?.(true); // urgency does not make an absent session worth asking for
  await fake.advance(UNAVAILABLE_MS - 100);
  assert.equal(count(), 1, 'no second look within the minute');
  answer = 'idle';
  await fake.advance(200);
  assert.equal(count(), 2);
  assert.equal(input.read().available, true);
  input.setUrgent?.(false);
  await fake.advance(3000 * 3 + 10);
  assert.ok(count() >= 4, `back to every 3 s once logind answers (${count()} calls)`);
  input.stop();
});
