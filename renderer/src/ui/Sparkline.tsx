import { useId } from 'react';
import { cx } from './cx.ts';
import type { Tone } from './Badge.tsx';

export interface SparklineProps {
  values: readonly number[];
  /**
   * What the line shows, e.g. "GPU utilisation, last 10 minutes". Screen readers hear it with
   * the figures appended: "…: now 42 %, low 10 %, high 80 %".
   */
  label: string;
  /** The figures' unit, e.g. "%" or "°C" (said after each figure). */
  unit?: string;
  /** Formats one figure for the spoken name; by default whole numbers from 10 up, else two decimals at most. */
  format?: (value: number) => string;
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

function defaultFormat(value: number): string {
  return String(Math.abs(value) >= 10 ? Math.round(value) : Number(value.toFixed(2)));
}

/**
 * The text alternative of a line: the label, then the latest value and the range, since a
 * label alone ("GPU utilisation") tells a screen reader user nothing the picture shows.
 */
export function sparklineName(label: string, values: readonly number[], unit?: string, format: (value: number) => string = defaultFormat): string {
  const finite = values.filter((value) => Number.isFinite(value));
  const latest = finite.at(-1);
  if (latest === undefined) return `${label}: no data yet`;
  const figure = (value: number) => (unit ? `${format(value)} ${unit}` : format(value));
  if (finite.length === 1) return `${label}: now ${figure(latest)}`;
  return `${label}: now ${figure(latest)}, low ${figure(Math.min(...finite))}, high ${figure(Math.max(...finite))}`;
}

export function Sparkline({ values, label, unit, format, width = 120, height = 32, tone = 'accent', min, max }: SparklineProps) {
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
      aria-label={sparklineName(label, values, unit, format)}
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
