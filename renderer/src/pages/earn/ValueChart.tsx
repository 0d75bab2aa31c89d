import { useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import type { PositionSample } from '../../../../common/ipc/groups/positions.ts';
import { Button, Notice, Spinner } from '../../ui/index.ts';
import { themeToken, useUPlot, type ChartDraw } from '../../ui/use-uplot.ts';
import type { CallError } from '../../state/store.ts';
import { amountWithSymbol } from './format.ts';
import { dailySamples, timeAxisLabels, valueChartData, type ValueChartData } from './chart-data.ts';
import { HISTORY_DAYS, type HistoryDays } from './use-positions.ts';

const HEIGHT = 200;

function options(data: ValueChartData, width: number): uPlot.Options {
  const text = themeToken('--color-text-muted');
  const grid = themeToken('--color-border');
  const font = `11px ${themeToken('--font-sans')}`;
  const axis = { stroke: text, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 } };
  const max = Math.max(0, ...data.total);
  const line = (label: string, colour: string, dash?: number[]) => ({
    label,
    stroke: themeToken(colour),
    width: 1.75,
    points: { show: false },
    ...(dash ? { dash } : {}),
  });
  return {
    width,
    height: HEIGHT,
    // Right padding so the last time label ("08:17:40 AM") is not cut at the edge.
    padding: [12, 36, 0, 0],
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: true }, y: { range: () => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...axis, space: 70, values: (_u, splits) => timeAxisLabels(splits) },
      {
        ...axis,
        size: 60,
        values: (_u, splits) => splits.map((s) => (s === 0 ? '0' : s >= 1000 ? `${(s / 1000).toFixed(1)}k` : s.toFixed(s < 10 ? 1 : 0))),
      },
    ],
    series: [
      {},
      {
        label: 'Total',
        stroke: themeToken('--color-accent'),
        fill: themeToken('--color-accent-soft'),
        width: 2.5,
        points: { show: false },
      },
      line('Staking', '--color-info'),
      line('Lending', '--color-ok', [6, 4]),
      line('Fee pool', '--color-warn', [2, 3]),
    ],
  };
}

/** A range picker as toggle buttons: the pressed one is the range shown. */
function RangePicker({ days, onDays }: { days: HistoryDays; onDays: (d: HistoryDays) => void }) {
  return (
    <div className="earn-range" role="group" aria-label="Chart range">
      {HISTORY_DAYS.map((d) => (
        <button key={d} type="button" className="earn-range__button" aria-pressed={d === days} onClick={() => onDays(d)}>
          {d} days
        </button>
      ))}
    </div>
  );
}

/**
 * Value over time from the ledger's samples, in the token: the total and each kind. The
 * canvas is hidden from screen readers; a sentence and a table of one row a day carry the
 * same figures, exact to the wei.
 */
export function ValueChart({
  samples,
  error,
  days,
  onDays,
  tokenSymbol,
  nativeSymbol,
  onRetry,
}: {
  samples: PositionSample[] | null;
  error: CallError | null;
  days: HistoryDays;
  onDays: (d: HistoryDays) => void;
  tokenSymbol: string;
  nativeSymbol: string;
  onRetry: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const data = useMemo(() => valueChartData(samples ?? []), [samples]);
  const enough = (samples?.length ?? 0) >= 2;

  const draw = useMemo<ChartDraw | null>(
    () =>
      enough
        ? (_UPlot, width) => ({ options: options(data, width), data: [data.x, data.total, data.staking, data.lending, data.feePool] })
        : null,
    [data, enough],
  );
  useUPlot(host, draw, HEIGHT);

  const first = samples?.[0];
  const last = samples?.at(-1);
  const rows = useMemo(() => dailySamples(samples ?? []), [samples]);
  return (
    <section className="card earn-chart" aria-labelledby="earn-chart-title" data-testid="value-chart">
      <header className="card__header">
        <div className="card__heading">
          <h2 className="card__title" id="earn-chart-title">
            Value over time
          </h2>
          <p className="card__description">
            From the samples Hearth's ledger records, in {tokenSymbol}. The total is everything together, wallet included.
          </p>
        </div>
        <div className="card__actions">
          <RangePicker days={days} onDays={onDays} />
        </div>
      </header>
      <div className="card__body">
        {error ? (
          <Notice
            tone="error"
            title="Hearth could not read the history"
            action={
              <Button size="sm" onClick={onRetry}>
                Try again
              </Button>
            }
          >
            {error.message}
          </Notice>
        ) : samples === null ? (
          <div className="loading-row">
            <Spinner /> Reading the history…
          </div>
        ) : !enough ? (
          <p className="muted" data-testid="chart-empty">
            Not enough history yet: the chart fills in as the ledger records your positions over time.
          </p>
        ) : (
          // Named by the summary explicitly: not every browser and screen reader names a figure from its caption.
          <figure className="earn-chart__figure" aria-labelledby="earn-chart-summary">
            <div ref={host} className="earn-chart__plot" aria-hidden="true" />
            <figcaption>
              <span className="earn-chart__legend" aria-hidden="true">
                <span className="earn-key earn-key--total">Total</span>
                <span className="earn-key earn-key--staking">Staking</span>
                <span className="earn-key earn-key--lending">Lending</span>
                <span className="earn-key earn-key--pool">Fee pool</span>
              </span>
              <span className="earn-chart__summary" id="earn-chart-summary" data-testid="chart-summary">
                Total value went from {amountWithSymbol(first!.totalTokenWei, tokenSymbol)} to{' '}
                {amountWithSymbol(last!.totalTokenWei, tokenSymbol)} over the last {days} days ({samples.length} samples).
              </span>
            </figcaption>
            <table className="visually-hidden" data-testid="chart-table">
              <caption>Value at the end of each day, last {days} days</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Total</th>
                  <th scope="col">Staking</th>
                  <th scope="col">Lending</th>
                  <th scope="col">Fee pool</th>
                  <th scope="col">Liquidity</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.at}>
                    <th scope="row">{new Date(s.at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}</th>
                    <td>{amountWithSymbol(s.totalTokenWei, tokenSymbol)}</td>
                    <td>{amountWithSymbol(s.stakingWei, tokenSymbol)}</td>
                    <td>{amountWithSymbol(s.lendingWei, tokenSymbol)}</td>
                    <td>{amountWithSymbol(s.feePoolWei, tokenSymbol)}</td>
                    <td>{amountWithSymbol(s.liquidityEthWei, nativeSymbol)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        )}
      </div>
    </section>
  );
}
