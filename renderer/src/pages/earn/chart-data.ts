import type { PositionSample } from '../../../../common/ipc/groups/positions.ts';
import { weiToNumber } from '../market/format.ts';

export interface ValueChartData {
  /** Sample times in seconds (uPlot's time axis). */
  x: number[];
  total: number[];
  staking: number[];
  lending: number[];
  feePool: number[];
}

/** The samples as chart columns, in whole tokens (floats are for drawing only; the table keeps wei). */
export function valueChartData(samples: readonly PositionSample[]): ValueChartData {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  return {
    x: sorted.map((s) => s.at / 1000),
    total: sorted.map((s) => weiToNumber(s.totalTokenWei)),
    staking: sorted.map((s) => weiToNumber(s.stakingWei)),
    lending: sorted.map((s) => weiToNumber(s.lendingWei)),
    feePool: sorted.map((s) => weiToNumber(s.feePoolWei)),
  };
}

/** The last sample of each local day, for the text alternative: one row a day however often the ledger samples. */
export function dailySamples(samples: readonly PositionSample[]): PositionSample[] {
  const byDay = new Map<string, PositionSample>();
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    const d = new Date(s.at);
    byDay.set(`${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`, s);
  }
  return [...byDay.values()];
}

/**
 * Labels for the time axis (`splits` in seconds): days over a long span, times of day over a
 * short one, so a first day of samples does not read "Nov 30, Nov 30, Nov 30…".
 */
export function timeAxisLabels(splits: readonly number[]): string[] {
  const span = splits.length > 1 ? splits[splits.length - 1]! - splits[0]! : 0;
  const options: Intl.DateTimeFormatOptions =
    span >= 2 * 86_400 ? { day: 'numeric', month: 'short' } : span >= 600 ? { hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return splits.map((s) => (span >= 2 * 86_400 ? new Date(s * 1000).toLocaleDateString(undefined, options) : new Date(s * 1000).toLocaleTimeString(undefined, options)));
}
