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
