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
