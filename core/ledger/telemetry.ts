/**
 * Device telemetry: raw samples for a day, then one row per minute (sums and counts per field,
 * so averages stay exact when late samples merge in), dropped after 30 days.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Clock } from '../ports.ts';
import type { RunInTransaction } from './transaction.ts';
import type { Ledger } from './types.ts';
import { elapsedSince } from '../elapsed.ts';

/** Raw samples younger than this are kept as they came. */
export const RAW_MS = 24 * 3_600_000;
/** Per-minute rows older than this are dropped. */
export const KEEP_MS = 30 * 86_400_000;
/** addTelemetry compacts when this long has passed since the last compaction. */
export const COMPACT_EVERY_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The telemetry part of the ledger. */
export function createTelemetry(deps: { db: DatabaseSync; clock: Clock; transaction: RunInTransaction }) {
  const { db, clock, transaction } = deps;
  const insertRaw = db.prepare('INSERT INTO telemetry_raw (device_id, at, utilization, temperature, power) VALUES (?, ?, ?, ?, ?)');
  const rollUp = db.prepare(`INSERT INTO telemetry_minute
      (device_id, minute, utilization_sum, utilization_n, temperature_sum, temperature_n, power_sum, power_n)
    SELECT device_id, (at / ${MINUTE_MS}) * ${MINUTE_MS}, total(utilization), count(utilization), total(temperature),
      count(temperature), total(power), count(power)
    FROM telemetry_raw WHERE at < ? GROUP BY device_id, at / ${MINUTE_MS}
    ON CONFLICT (device_id, minute) DO UPDATE SET
      utilization_sum = utilization_sum + excluded.utilization_sum, utilization_n = utilization_n + excluded.utilization_n,
      temperature_sum = temperature_sum + excluded.temperature_sum, temperature_n = temperature_n + excluded.temperature_n,
      power_sum = power_sum + excluded.power_sum, power_n = power_n + excluded.power_n`);
  const dropRaw = db.prepare('DELETE FROM telemetry_raw WHERE at < ?');
  const dropMinutes = db.prepare('DELETE FROM telemetry_minute WHERE minute < ?');
  const select = db.prepare(`SELECT at, utilization AS utilizationPct, temperature AS temperatureC, power AS powerW
      FROM telemetry_raw WHERE device_id = ?1 AND at BETWEEN ?2 AND ?3
    UNION ALL
    SELECT minute AS at,
      CASE WHEN utilization_n > 0 THEN utilization_sum / utilization_n END,
      CASE WHEN temperature_n > 0 THEN temperature_sum / temperature_n END,
      CASE WHEN power_n > 0 THEN power_sum / power_n END
      FROM telemetry_minute WHERE device_id = ?1 AND minute BETWEEN ?2 AND ?3
    ORDER BY at`);
  let lastCompact = clock.now();

  const compact: Ledger['compact'] = () => {
    const now = clock.now();
    lastCompact = now;
    // Whole minutes only, so a minute is never split between a raw part and a rolled-up part.
    const rawCutoff = Math.floor((now - RAW_MS) / MINUTE_MS) * MINUTE_MS;
    transaction(() => {
      rollUp.run(rawCutoff);
      dropRaw.run(rawCutoff);
      dropMinutes.run(now - KEEP_MS);
    });
  };

  const addTelemetry: Ledger['addTelemetry'] = (s) => {
    const num = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);
    insertRaw.run(s.deviceId, Math.trunc(s.at), num(s.utilizationPct), num(s.temperatureC), num(s.powerW));
    // elapsedSince: a clock set back must not hold compaction (raw rows pile up) until it catches up.
    if (elapsedSince(clock.now(), lastCompact) >= COMPACT_EVERY_MS) compact();
  };

  const telemetry: Ledger['telemetry'] = (q) =>
    (select.all(q.deviceId, q.from, q.to) as unknown as ReturnType<Ledger['telemetry']>).map((r) => ({
      at: r.at,
      utilizationPct: r.utilizationPct,
      temperatureC: r.temperatureC,
      powerW: r.powerW,
    }));

  return { addTelemetry, telemetry, compact };
}
