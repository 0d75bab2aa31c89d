/**
 * The frame-level fuzzer on a short budget: generated HTTP requests at the static and upgrade
 * paths and generated WebSocket frames after an upgrade, with and without the token, over raw
 * TCP to a real daemon in its own process. After each batch the daemon must answer an
 * authorized app:status. `npm run bench -- fuzz` runs the same at length. A failure prints
 * the batch seed; rerun with HEARTH_FUZZ_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzRaw } from './fuzz/raw-fuzz.ts';
import { fuzzSeed } from './fuzz/seed.ts';
import { startFuzzTarget } from './fuzz/target.ts';

const HTTP_CASES = 600;
const FRAME_CASES = 600;
/** RSS after a full collection; this budget grows it by about 20 MB, a leak per connection would show as hundreds. */
const RSS_GROWTH_LIMIT_MB = 100;

test(
  'raw HTTP requests and WebSocket frames never crash the daemon, leak a file, set a cookie or open the API without the token',
  { timeout: 120_000 },
  async (t) => {
    const seed = fuzzSeed();
    const target = await startFuzzTarget();
    try {
      const report = await fuzzRaw(target, { seed, httpCases: HTTP_CASES, frameCases: FRAME_CASES, batch: 200 });
      const { memoryStart: before, memoryEnd: after } = report;
      const growth = after.rss - before.rss;
      t.diagnostic(
        `seed ${seed}: ${HTTP_CASES} HTTP requests, ${FRAME_CASES} frame sequences; ` +
          `RSS ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MB, heap ${before.heap.toFixed(0)} → ${after.heap.toFixed(0)} MB`,
      );
      t.diagnostic(`answers: ${JSON.stringify(report.statuses)}`);
      assert.deepEqual(report.failures, [], `seed ${seed}`);
      assert.equal(target.exited(), null, 'the daemon is still running');
      // Both paths were really reached: public files served, foreign hosts and bad targets refused, sockets upgraded and refused.
      const refused = (report.statuses['http 421'] ?? 0) + (report.statuses['http 400'] ?? 0);
      assert.ok((report.statuses['http 200'] ?? 0) > 0 && refused > 0, 'the static path served and refused');
      assert.ok((report.statuses['frames 101 then c'] ?? 0) > 0, 'sockets were upgraded and then closed');
      assert.ok(growth < RSS_GROWTH_LIMIT_MB, `RSS grew by ${growth.toFixed(0)} MB`);
    } finally {
      await target.stop();
    }
  },
);
