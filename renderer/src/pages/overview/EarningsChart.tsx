import { useEffect, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { EarningsDay } from '../../../../common/ipc/groups/market.ts';
import { formatToken } from '../market/format.ts';
import { earningsChartData, type EarningsChartData } from './chart-data.ts';

const HEIGHT = 180;

function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Canvas charts need a real layout engine; jsdom (tests) has neither canvas nor ResizeObserver. */
function canDraw(): boolean {
  if (typeof ResizeObserver === 'undefined') return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

function options(UPlot: typeof uPlot, data: EarningsChartData, width: number): uPlot.Options {
  const accent = token('--color-accent');
  const ok = token('--color-ok');
  const text = token('--color-text-muted');
  const grid = token('--color-border');
  const font = `11px ${token('--font-sans')}`;
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
      y: { range: () => [0, data.max > 0 ? data.max * 1.15 : 1] } },
    axes: [
      { ...axis, space: 60, values: (_u, splits) => splits.map((s) => new Date(s * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })) },
      { ...axis, size: 52, values: (_u, splits) => splits.map((s) => (s === 0 ? '0' : s.toFixed(s < 1 ? 2 : 1))) },
    ],
    series: [
      {},
      { label: 'Earned', stroke: accent, fill: accent, width: 0, ...(bars ? { paths: bars } : {}), points: { show: false } },
      ...(data.hasNet ? [{ label: 'After electricity', stroke: ok, width: 2, points: { show: false }, spanGaps: false }] : []),
    ],
  };
}

/**
 * The last 30 days of earnings as bars (and the net after electricity as a line). The
 * uPlot instance lives in an effect, follows the container's width and the theme, and is
 * destroyed on unmount. The same numbers are in a visually hidden table for screen readers.
 */
export function EarningsChart({ days }: { days: readonly EarningsDay[] }) {
  const host = useRef<HTMLDivElement>(null);
  const data = useMemo(() => earningsChartData(days), [days]);
  const total = days.reduce((t, d) => t + d.jobs, 0);

  useEffect(() => {
    const el = host.current;
    if (!el || !canDraw()) return undefined;
    const columns: uPlot.AlignedData = data.hasNet ? [data.x, data.earned, data.net] : [data.x, data.earned];
    let plot: uPlot | null = null;
    let resize: ResizeObserver | null = null;
    let theme: MutationObserver | null = null;
    let live = true;
    // Loaded on first draw: uPlot needs a real canvas, and the Overview should not wait for it.
    void import('uplot').then(({ default: UPlot }) => {
      if (!live) return;
      const build = () => {
        plot?.destroy();
        plot = new UPlot(options(UPlot, data, Math.max(200, el.clientWidth)), columns, el);
      };
      build();
      resize = new ResizeObserver(() => {
        if (plot && el.clientWidth > 0 && Math.abs(plot.width - el.clientWidth) > 1) plot.setSize({ width: el.clientWidth, height: HEIGHT });
      });
      resize.observe(el);
      // Colours are read from the tokens once: rebuild when the theme changes.
      theme = new MutationObserver(build);
      theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    });
    return () => {
      live = false;
      resize?.disconnect();
      theme?.disconnect();
      plot?.destroy();
      plot = null;
    };
  }, [data]);

  return (
    <figure className="earnings-chart" data-testid="earnings-chart">
      <div ref={host} className="earnings-chart__plot" aria-hidden="true" />
      <figcaption className="earnings-chart__legend">
        <span className="earnings-chart__key earnings-chart__key--earned">Earned per day</span>
        {data.hasNet && <span className="earnings-chart__key earnings-chart__key--net">After electricity</span>}
        <span className="muted">
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
