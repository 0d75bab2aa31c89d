/**
 * The daemon SIGKILLed at random points of the earning loop a few times (the long run is
 * bench/daemon-kills.ts), restarted on the same data folder each time: in the end every
 * posted job is paid exactly once, the ledger equals the chain to the wei, and every
 * failure it recorded says why. Seeded: HEARTH_KILL_SEED replays a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runKillTrials, TARGETS } from './testing/kill-trials.ts';

const seed = Number(process.env.HEARTH_KILL_SEED) || Date.now() % 1_000_000;
const step = (text: string) => process.stderr.write(`# ${new Date().toISOString()} ${text}\n`);

test(`a daemon killed 3 times at random points loses no job and does none twice (seed ${seed})`, { timeout: 240_000 }, async () => {
  step(`seed ${seed}`);
  // `settling` waits out a 30 s challenge window: the bench draws it, market-crash.test.ts covers commit → settle.
  const r = await runKillTrials({ trials: 3, seed, fromSources: true, step, finishTimeoutMs: 60_000, targets: TARGETS.filter((t) => t !== 'settling') });
  step(`kills: ${r.kills.map((k) => `${k.target} (${k.seen})`).join('; ')}; restarts ${r.restartMs.join(', ')} ms`);
  assert.equal(r.trials, 3);
  assert.ok(r.posted >= 2, 'jobs were posted');
  const c = r.comparison;
  assert.deepEqual(c.lost, [], `seed ${seed}: jobs lost (data kept in ${r.dataDir})`);
  assert.deepEqual(c.double, [], `seed ${seed}: steps done twice`);
  assert.deepEqual(c.unreadable, [], `seed ${seed}: failures without a readable reason`);
  assert.deepEqual(c.sums, [], `seed ${seed}: sums differ`);
  assert.ok(c.paidWei > 0n, 'something was paid');
});
