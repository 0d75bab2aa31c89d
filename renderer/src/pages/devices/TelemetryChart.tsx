import { sparklineName, sparklinePath } from '../../ui/index.ts';

export interface ChartSeries {
  label: string;
  /** Said and shown after the label and after each figure, e.g. "%" or "°C". */
  unit?: string;
  values: readonly (number | null)[];
  /** Fixed scale, e.g. 0..100 for percentages. */
  min: number;
  max: number;
  tone: 'accent' | 'info' | 'warn' | 'ok';
}

function known(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

/** The chart's text alternative: its label, then each line's latest reading and range. */
export function telemetryChartName(label: string, series: readonly ChartSeries[]): string {
  if (!series.some((s) => known(s.values).length > 0)) return `${label}: no data yet`;
  return `${label}. ${series.map((s) => sparklineName(s.label, known(s.values), s.unit, (v) => String(Math.round(v)))).join('. ')}`;
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * A small multi-line chart in plain SVG: one path per series on a shared time axis,
 * gridlines at quarters. Missing readings (null) are skipped, not drawn as zero. Screen
 * readers get the figures in the name and every reading in a visually hidden table.
 */
export function TelemetryChart({
  series,
  times,
  width = 320,
  height = 96,
  label,
}: {
  series: readonly ChartSeries[];
  /** When each reading was taken (ms), for the table's rows; by position otherwise. */
  times?: readonly number[];
  width?: number;
  height?: number;
  label: string;
}) {
  const count = Math.max(0, ...series.map((s) => s.values.length));
  const hasData = series.some((s) => known(s.values).length > 0);
  const rows = Array.from({ length: count }, (_, i) => i);
  return (
    <figure className="telemetry-chart">
      <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={telemetryChartName(label, series)}>
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} className="telemetry-chart__grid" x1="0" x2={width} y1={height * f} y2={height * f} />
        ))}
        {series.map((s) => {
          // Keep positions on the shared axis: drop nulls only after fixing each point's x.
          const n = s.values.length;
          const points = s.values
            .map((v, i) => (v === null ? null : { x: n > 1 ? (i / (n - 1)) * width : width / 2, v }))
            .filter((p): p is { x: number; v: number } => p !== null);
          if (points.length === 0) return null;
          const path = sparklinePath(points.map((p) => p.v), width, height, s.min, s.max);
          // sparklinePath spaces points evenly; re-place them at their real x positions.
          const ys = path.slice(1).split(' L').map((pt) => pt.split(',')[1]);
          const d = `M${points.map((p, i) => `${p.x.toFixed(2)},${ys[i]}`).join(' L')}`;
          return <path key={s.label} className={`telemetry-chart__line tone--${s.tone}`} d={d} fill="none" vectorEffect="non-scaling-stroke" />;
        })}
      </svg>
      {/* The legend only tells the lines apart by colour; the name and table already say which is which. */}
      <figcaption className="telemetry-chart__legend" aria-hidden="true">
        {series.map((s) => (
          <span key={s.label} className={`telemetry-chart__key tone--${s.tone}`}>
            {s.unit ? `${s.label} ${s.unit}` : s.label}
          </span>
        ))}
      </figcaption>
      {hasData && (
        <table className="visually-hidden">
          <caption>{label}, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">{times ? 'Time' : 'Reading'}</th>
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.unit ? `${s.label} (${s.unit})` : s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => {
              const at = times?.[i];
              return (
                <tr key={i}>
                  <th scope="row">{at !== undefined ? clock(at) : `${i + 1} of ${count}`}</th>
                  {series.map((s) => {
                    const v = s.values[i];
                    return <td key={s.label}>{v === null || v === undefined ? 'no reading' : Math.round(v)}</td>;
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </figure>
  );
}
