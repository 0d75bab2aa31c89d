import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPACT_EVERY_MS, RAW_MS } from './telemetry.ts';
import { tempLedger } from './testing/support.ts';

const MIN = 60_000;

test('telemetry: raw for a day, then exact per-minute averages, dropped after 30 days', async () => {
  const t = await tempLedger();
  try {
    const start = Math.floor(t.clock.now() / MIN) * MIN;
    // Two minutes of 1 Hz-ish samples, with nulls in places.
    for (let i = 0; i < 120; i += 10) {
      t.ledger.addTelemetry({
        at: start + i * 1000,
        deviceId: 'gpu0',
        utilizationPct: i < 60 ? 50 + i / 10 : 90,
        temperatureC: i === 0 ? null : 60,
        powerW: null,
      });
    }
    t.ledger.addTelemetry({ at: start, deviceId: 'gpu1', utilizationPct: 1, temperatureC: 2, powerW: 3 });
    const raw = t.ledger.telemetry({ deviceId: 'gpu0', from: start, to: start + 2 * MIN });
    assert.equal(raw.length, 12);
    assert.deepEqual(raw[0], { at: start, utilizationPct: 50, temperatureC: null, powerW: null });

    t.clock.advance(RAW_MS + 2 * MIN);
    t.ledger.compact();
    const minutes = t.ledger.telemetry({ deviceId: 'gpu0', from: start, to: start + 2 * MIN });
    assert.deepEqual(minutes, [
      { at: start, utilizationPct: (50 + 51 + 52 + 53 + 54 + 55) / 6, temperatureC: 60, powerW: null },
      { at: start + MIN, utilizationPct: 90, temperatureC: 60, powerW: null },
    ]);
    // A late raw sample for an already rolled-up minute merges in exactly.
    t.ledger.addTelemetry({ at: start + MIN + 5000, deviceId: 'gpu0', utilizationPct: 20, temperatureC: null, powerW: 100 });
    t.ledger.compact();
    assert.deepEqual(t.ledger.telemetry({ deviceId: 'gpu0', from: start + MIN, to: start + MIN }), [
      { at: start + MIN, utilizationPct: (90 * 6 + 20) / 7, temperatureC: 60, powerW: 100 },
    ]);
    assert.equal(t.ledger.telemetry({ deviceId: 'gpu1', from: 0, to: Infinity }).length, 1);

    // addTelemetry compacts by itself once an hour has passed.
    t.clock.advance(30 * 86_400_000);
    t.ledger.addTelemetry({ at: t.clock.now(), deviceId: 'gpu0', utilizationPct: 5, temperatureC: 5, powerW: 5 });
    t.clock.advance(COMPACT_EVERY_MS);
    t.ledger.addTelemetry({ at: t.clock.now(), deviceId: 'gpu0', utilizationPct: 6, temperatureC: 6, powerW: 6 });
    assert.deepEqual(t.ledger.telemetry({ deviceId: 'gpu0', from: 0, to: start + 2 * MIN }), [], 'older than 30 days is gone');
    assert.equal(t.ledger.telemetry({ deviceId: 'gpu0', from: 0, to: Infinity }).length, 2);
  } finally {
    await t.done();
  }
});

test('telemetry across clock jumps: samples out of order chart in time order, and compaction goes on after a step back', async () => {
  const t = await tempLedger();
  try {
    const start = Math.floor(t.clock.now() / MIN) * MIN;
    const sample = (utilizationPct: number) => t.ledger.addTelemetry({ at: t.clock.now(), deviceId: 'gpu0', utilizationPct, temperatureC: 50, powerW: 100 });
    sample(1);
    t.clock.advance(86_400_000 + 2 * COMPACT_EVERY_MS); // a day forward: compaction rolls the first sample up
    sample(2);
    t.clock.set(start + 10_000); // the clock corrected back: samples now land before the one above
    sample(3);
    t.clock.advance(1000);
    sample(4);
    const all = t.ledger.telemetry({ deviceId: 'gpu0', from: 0, to: Infinity });
    assert.deepEqual(all.map((r) => r.at), [...all.map((r) => r.at)].sort((a, b) => a - b), 'in time order');
    assert.deepEqual(all.map((r) => r.utilizationPct), [1, 3, 4, 2]);
    // Samples every minute for 25 h after the step back: the hourly compaction keeps running, so
    // the minute of samples 1, 3 and 4 is one rolled-up row once it is a day old (not only once the
    // clock has caught up with the compaction before the step, 26 h later).
    for (let i = 0; i < 25 * 60; i++) {
      t.clock.advance(MIN);
      sample(5);
    }
    assert.deepEqual(t.ledger.telemetry({ deviceId: 'gpu0', from: start, to: start + MIN - 1 }).map((r) => [r.at, r.utilizationPct]), [[start, (1 + 3 + 4) / 3]]);
  } finally {
    await t.done();
  }
});
