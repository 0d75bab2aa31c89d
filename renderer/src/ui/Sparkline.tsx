import { useId } from 'react';
import { cx } from './cx.ts';
import type { Tone } from './Badge.tsx';

export interface SparklineProps {
  values: readonly number[];
  /** Read out by screen readers, e.g. "GPU utilisation, last 10 minutes". */
  label: string;
  width?: number;
  height?: number;
  tone?: Tone;
  /** Fixed bounds; by default the line spans the data's own min..max. */
  min?: number;
  max?: number;
}

/** The SVG path of a line through `values`, scaled into width × height (exported for tests). */
export function sparklinePath(values: readonly number[], width: number, height: number, min?: number, max?: number): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return '';
  const low = min ?? Math.min(...finite);
  const high = max ?? Math.max(...finite);
  const span = high - low || 1;
  const pad = 1.5; // keeps the stroke inside the box
  const step = finite.length > 1 ? (width - pad * 2) / (finite.length - 1) : 0;
  const points = finite.map((value, index) => {
    const clamped = Math.min(high, Math.max(low, value));
    const x = finite.length > 1 ? pad + index * step : width / 2;
    const y = high === low ? height / 2 : pad + (1 - (clamped - low) / span) * (height - pad * 2);
    return `${x.toFixed(2)},${y.toFixed(2)}`;
  });
  return `M${points.join(' L')}`;
}

export function Sparkline({ values, label, width = 120, height = 32, tone = 'accent', min, max }: SparklineProps) {
  const gradientId = `spark${useId().replace(/:/g, '')}`;
  const line = sparklinePath(values, width, height, min, max);
  const empty = line === '';
  return (
    <svg
      className={cx('sparkline', `tone--${tone}`, empty && 'sparkline--empty')}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={empty ? `${label}: no data yet` : label}
    >
      <defs>
        <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" className="sparkline__stop-top" />
          <stop offset="100%" className="sparkline__stop-bottom" />
        </linearGradient>
      </defs>
      {empty ? (
        <line className="sparkline__baseline" x1="0" x2={width} y1={height / 2} y2={height / 2} />
      ) : (
        <>
          {line.includes(' L') && (
            <path className="sparkline__area" d={`${line} L${width - 1.5},${height} L1.5,${height} Z`} fill={`url(#${gradientId})`} />
          )}
          <path className="sparkline__line" d={line} fill="none" />
        </>
      )}
    </svg>
  );
}
