/**
 * Earnings per local day for the chart: payments, gas and electricity bucketed by the user's
 * calendar day. The offset is taken as constant over the 30 days (a DST change shifts the days
 * before it by an hour, which a chart of daily bars tolerates).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { EarningsDay } from '../../common/ipc/groups/market.ts';
import type { Ledger } from './types.ts';

const DAY_MS = 86_400_000;
const DAYS = 30;

/** The local calendar day (YYYY-MM-DD) of `at`, for an offset as Date#getTimezoneOffset gives it. */
export function localDay(at: number, tzOffsetMinutes: number): string {
  return new Date(at - tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The UTC instant the local day containing `at` starts. */
function localMidnight(at: number, tzOffsetMinutes: number): number {
  const shift = tzOffsetMinutes * 60_000;
  return Math.floor((at - shift) / DAY_MS) * DAY_MS + shift;
}

interface Bucket {
  earned: bigint;
  gas: bigint;
  jobs: number;
  electricity: bigint | null;
}

/** The earnings part of the ledger. */
export function createEarnings(deps: { db: DatabaseSync }) {
  const { db } = deps;
  const selectPaid = db.prepare('SELECT at, amount_wei AS amount FROM payments WHERE chain_id = ? AND provider = ? AND at >= ? AND at < ?');
  // Gas by the day it was spent, on this chain (a job's transactions take the job's chain).
  const selectGas = db.prepare(`SELECT t.at, t.gas_wei AS gas FROM txs t LEFT JOIN jobs j ON j.key = t.job_key
    WHERE coalesce(t.chain_id, j.chain_id) = ? AND (j.provider IS NULL OR j.provider = ?) AND t.gas_wei IS NOT NULL AND t.at >= ? AND t.at < ?`);
  // Electricity by the day a job was paid, or last changed when it never was (work that failed still cost power).
  const selectPower = db.prepare(`SELECT coalesce(p.at, j.updated_at) AS at, j.electricity_wei AS electricity FROM jobs j
    LEFT JOIN payments p ON p.job_key = j.key
    WHERE j.chain_id = ? AND (j.provider IS NULL OR j.provider = ?) AND j.electricity_wei IS NOT NULL AND coalesce(p.at, j.updated_at) >= ? AND coalesce(p.at, j.updated_at) < ?`);

  const earnings: Ledger['earnings'] = (q) => {
    const provider = q.provider.toLowerCase();
    const todayStart = localMidnight(q.now, q.tzOffsetMinutes);
    const from = todayStart - (DAYS - 1) * DAY_MS;
    const to = todayStart + DAY_MS;
    const buckets = new Map<string, Bucket>();
    const days: string[] = [];
    for (let i = 0; i < DAYS; i++) {
      const day = localDay(from + i * DAY_MS, q.tzOffsetMinutes);
      days.push(day);
      buckets.set(day, { earned: 0n, gas: 0n, jobs: 0, electricity: null });
    }
    const bucket = (at: number) => buckets.get(localDay(at, q.tzOffsetMinutes));
    for (const row of selectPaid.iterate(q.chainId, provider, from, to) as Iterable<{ at: number; amount: string }>) {
      const b = bucket(row.at);
      if (!b) continue;
      b.earned += BigInt(row.amount);
      b.jobs += 1;
    }
    for (const row of selectGas.iterate(q.chainId, provider, from, to) as Iterable<{ at: number; gas: string }>) {
      const b = bucket(row.at);
      if (b) b.gas += BigInt(row.gas);
    }
    for (const row of selectPower.iterate(q.chainId, provider, from, to) as Iterable<{ at: number; electricity: string }>) {
      const b = bucket(row.at);
      if (b) b.electricity = (b.electricity ?? 0n) + BigInt(row.electricity);
    }
    const list: EarningsDay[] = days.map((day) => {
      const b = buckets.get(day) ?? { earned: 0n, gas: 0n, jobs: 0, electricity: null };
      return {
        day,
        earnedWei: b.earned.toString(),
        gasWei: b.gas.toString(),
        jobs: b.jobs,
        electricityWei: b.electricity?.toString() ?? null,
      };
    });
    const sumLast = (n: number) =>
      list
        .slice(-n)
        .reduce((sum, d) => sum + BigInt(d.earnedWei), 0n)
        .toString();
    const power = list.filter((d) => d.electricityWei !== null);
    return {
      todayWei: sumLast(1),
      weekWei: sumLast(7),
      monthWei: sumLast(DAYS),
      days: list,
      electricityMonthWei: power.length === 0 ? null : power.reduce((sum, d) => sum + BigInt(d.electricityWei ?? '0'), 0n).toString(),
    };
  };

  return { earnings };
}
