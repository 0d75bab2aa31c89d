import type { EarningsDay } from '../../../../common/ipc/groups/market.ts';
import { weiToNumber } from '../market/format.ts';

export interface EarningsChartData {
  /** Local midnight of each day, in seconds (uPlot's time axis). */
  x: number[];
  /** Earned per day, in whole tokens. */
  earned: number[];
  /** Earned minus electricity, where the day's electricity is known; null otherwise. */
  net: (number | null)[];
  /** True when any day has an electricity figure (draw the net series at all). */
  hasNet: boolean;
  /** Largest value, for a scale that never collapses to zero height. */
  max: number;
}

/** "2026-11-30" as local midnight in seconds. */
export function dayToSeconds(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Math.floor(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime() / 1000);
}

/** The 30 days of `market:earnings` as columns for the chart, oldest first. */
export function earningsChartData(days: readonly EarningsDay[]): EarningsChartData {
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
  const earned = sorted.map((d) => weiToNumber(d.earnedWei));
  const net = sorted.map((d, i) => (d.electricityWei === null ? null : (earned[i] ?? 0) - weiToNumber(d.electricityWei)));
  return {
    x: sorted.map((d) => dayToSeconds(d.day)),
    earned,
    net,
    hasNet: net.some((v) => v !== null),
    max: Math.max(0, ...earned),
  };
}

/** Sums wei strings exactly. */
export function sumWei(values: readonly (string | null)[]): string {
  return values.reduce<bigint>((total, v) => total + BigInt(v ?? '0'), 0n).toString();
}

/** What the last `count` days cost in electricity, or null when no day in them has a figure. */
export function electricityOver(days: readonly EarningsDay[], count: number): string | null {
  const slice = days.slice(-count);
  return slice.some((d) => d.electricityWei !== null) ? sumWei(slice.map((d) => d.electricityWei)) : null;
}

/** Earned minus electricity, floored at zero for display (a loss shows as a warning instead). */
export function netWei(earnedWei: string, electricityWei: string | null): { wei: string; loss: boolean } | null {
  if (electricityWei === null) return null;
  const net = BigInt(earnedWei) - BigInt(electricityWei);
  return net < 0n ? { wei: (-net).toString(), loss: true } : { wei: net.toString(), loss: false };
}
