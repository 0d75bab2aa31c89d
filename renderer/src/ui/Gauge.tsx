import type { ReactNode } from 'react';
import { cx } from './cx.ts';
import type { Tone } from './Badge.tsx';
import { clampUnit } from './ProgressBar.tsx';

export interface GaugeProps {
  /** 0..1, or null when there is no reading. */
  value: number | null;
  label: string;
  /** The text in the middle; defaults to the percentage. */
  display?: ReactNode;
  size?: number;
  tone?: Tone;
  /**
   * What a screen reader says for the reading when a percentage would mislead (e.g. "1.84, safe").
   * Defaults to `display` when that is text (e.g. "65°", "3.2 GiB"), else the percentage.
   */
  valueText?: string;
}

/** A small ring for one reading such as utilisation or temperature headroom. */
export function Gauge({ value, label, display, size = 72, tone = 'accent', valueText }: GaugeProps) {
  const radius = 15.5;
  const circumference = 2 * Math.PI * radius;
  const fraction = value === null ? 0 : clampUnit(value);
  const percent = Math.round(fraction * 100);
  // The ring's text is what sighted users read ("65°" on a 0..100 scale): say the same.
  const spoken = valueText ?? (value === null ? 'no reading yet' : typeof display === 'string' || typeof display === 'number' ? String(display) : `${percent}%`);
  return (
    <figure className={cx('gauge', `tone--${tone}`, value === null && 'gauge--empty')}>
      <svg
        width={size}
        height={size}
        viewBox="0 0 36 36"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        // A meter must have a value (axe: aria-required-attr); with no reading it is 0, and the
        // value text says there is none.
        aria-valuenow={value === null ? 0 : percent}
        aria-valuetext={spoken}
      >
        <circle className="gauge__track" cx="18" cy="18" r={radius} fill="none" strokeWidth="3" />
        <circle
          className="gauge__arc"
          cx="18"
          cy="18"
          r={radius}
          fill="none"
          strokeWidth="3"
          strokeLinecap="round"
          strokeDasharray={`${fraction * circumference} ${circumference}`}
          transform="rotate(-90 18 18)"
        />
        <text className="gauge__text" x="18" y="18" textAnchor="middle" dominantBaseline="central">
          {display ?? (value === null ? '–' : `${percent}%`)}
        </text>
      </svg>
      {/* The meter already carries the label; hidden here so it is not read twice. */}
      <figcaption className="gauge__label" aria-hidden="true">
        {label}
      </figcaption>
    </figure>
  );
}
