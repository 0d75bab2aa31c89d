import { useId, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { EarningsDay } from '../../../../common/ipc/groups/market.ts';
import { formatToken } from '../market/format.ts';
import { themeToken, useUPlot, type ChartDraw } from '../../ui/use-uplot.ts';
import { earningsChartData, sumWei, type EarningsChartData } from './chart-data.ts';

const HEIGHT = 180;

function options(UPlot: typeof uPlot, data: EarningsChartData, width: number): uPlot.Options {
  const accent = themeToken('--color-accent');
  const ok = themeToken('--color-ok');
  const text = themeToken('--color-text-muted');
  const grid = themeToken('--color-border');
  const font = `11px ${themeToken('--font-sans')}`;
  const bars = UPlot.paths.bars?.({ size: [0.7, 28], gap: 2 });
  const axis = { stroke: text, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 } };
  return {
    width,
    height: HEIGHT,
    padding: [12, 8, 0, 0],
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: {
      // Half a day of room each side, so the first and last bars are whole.
      x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
      y: { range: () => [0, data.max > 0 ? data.max * 1.15 : 1] },
    },
    axes: [
      {
        ...axis,
        space: 60,
        values: (_u, splits) => splits.map((s) => new Date(s * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })),
      },
      { ...axis, size: 52, values: (_u, splits) => splits.map((s) => (s === 0 ? '0' : s.toFixed(s < 1 ? 2 : 1))) },
    ],
    series: [
      {},
      { label: 'Earned', stroke: accent, fill: accent, width: 0, ...(bars ? { paths: bars } : {}), points: { show: false } },
      ...(data.hasNet ? [{ label: 'After electricity', stroke: ok, width: 2, points: { show: false }, spanGaps: false }] : []),
    ],
  };
}

/** The chart in one sentence, with its figures: what a screen reader hears for the figure. */
export function earningsChartSummary(days: readonly EarningsDay[]): string {
  const jobs = days.reduce((t, d) => t + d.jobs, 0);
  const best = days.reduce<EarningsDay | null>((top, d) => (top === null || BigInt(d.earnedWei) > BigInt(top.earnedWei) ? d : top), null);
  const total = `Earned ${formatToken(sumWei(days.map((d) => d.earnedWei)))} in the last 30 days from ${jobs} ${jobs === 1 ? 'job' : 'jobs'}`;
  if (best === null || BigInt(best.earnedWei) === 0n) return `${total}.`;
  return `${total}; the best day was ${best.day} with ${formatToken(best.earnedWei)}. Each day is in the table that follows.`;
}

/**
 * The last 30 days of earnings as bars (and the net after electricity as a line). The
 * uPlot instance lives in an effect, follows the container's width and the theme, and is
 * destroyed on unmount. The same numbers are in a visually hidden table for screen readers.
 */
export function EarningsChart({ days }: { days: readonly EarningsDay[] }) {
  const host = useRef<HTMLDivElement>(null);
  const id = `earnings${useId().replace(/:/g, '')}`;
  const data = useMemo(() => earningsChartData(days), [days]);
  const total = days.reduce((t, d) => t + d.jobs, 0);

  const draw = useMemo<ChartDraw>(
    () => (UPlot, width) => ({
      options: options(UPlot, data, width),
      data: data.hasNet ? [data.x, data.earned, data.net] : [data.x, data.earned],
    }),
    [data],
  );
  useUPlot(host, draw, HEIGHT);

  return (
    <figure className="earnings-chart" data-testid="earnings-chart" aria-labelledby={`${id}-summary`}>
      <div ref={host} className="earnings-chart__plot" aria-hidden="true" />
      <figcaption className="earnings-chart__legend">
        <span className="visually-hidden" id={`${id}-summary`}>
          {earningsChartSummary(days)}
        </span>
        {/* Colour keys for the canvas, which screen readers do not see: the summary and table replace them. */}
        <span className="earnings-chart__key earnings-chart__key--earned" aria-hidden="true">
          Earned per day
        </span>
        {data.hasNet && (
          <span className="earnings-chart__key earnings-chart__key--net" aria-hidden="true">
            After electricity
          </span>
        )}
        <span className="muted" aria-hidden="true">
          {total} {total === 1 ? 'job' : 'jobs'} in 30 days
        </span>
      </figcaption>
      <table className="visually-hidden">
        <caption>Earnings per day, last 30 days</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Earned</th>
            <th scope="col">Jobs</th>
            <th scope="col">Electricity</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td>{formatToken(d.earnedWei)}</td>
              <td>{d.jobs}</td>
              <td>{d.electricityWei === null ? 'unknown' : formatToken(d.electricityWei)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
