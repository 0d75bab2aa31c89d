import { sparklinePath } from '../../ui/index.ts';

export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  /** Fixed scale, e.g. 0..100 for percentages. */
  min: number;
  max: number;
  tone: 'accent' | 'info' | 'warn' | 'ok';
}

/**
 * A small multi-line chart in plain SVG: one path per series on a shared time axis,
 * gridlines at quarters. Missing readings (null) are skipped, not drawn as zero.
 */
export function TelemetryChart({ series, width = 320, height = 96, label }: { series: readonly ChartSeries[]; width?: number; height?: number; label: string }) {
  const hasData = series.some((s) => s.values.some((v) => v !== null));
  return (
    <figure className="telemetry-chart">
      <svg width="100%" height={height} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={hasData ? label : `${label}: no data yet`}>
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
      <figcaption className="telemetry-chart__legend">
        {series.map((s) => (
          <span key={s.label} className={`telemetry-chart__key tone--${s.tone}`}>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
