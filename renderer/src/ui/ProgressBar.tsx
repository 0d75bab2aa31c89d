import { useId, type ReactNode } from 'react';
import { cx } from './cx.ts';
import type { Tone } from './Badge.tsx';

export interface ProgressBarProps {
  /** 0..1; null shows an indeterminate bar (work is happening, amount unknown). */
  value: number | null;
  label: ReactNode;
  /** Text at the right of the label, e.g. "42 %" or "1.2 of 4 GB". */
  detail?: ReactNode;
  tone?: Tone;
}

/** Clamps to 0..1 and treats NaN as 0, so a bad sample never draws a broken bar. */
export function clampUnit(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

export function ProgressBar({ value, label, detail, tone = 'accent' }: ProgressBarProps) {
  const fraction = value === null ? null : clampUnit(value);
  const percent = fraction === null ? undefined : Math.round(fraction * 100);
  const id = `progress${useId().replace(/:/g, '')}`;
  return (
    <div className={cx('progress', `tone--${tone}`, fraction === null && 'progress--indeterminate')}>
      <div className="progress__labels">
        <span className="progress__label" id={`${id}-label`}>
          {label}
        </span>
        <span className="progress__detail" id={`${id}-detail`}>
          {detail ?? (percent !== undefined ? `${percent}%` : null)}
        </span>
      </div>
      <div
        className="progress__track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        // Named by the visible label whatever its type (a label in markup had no name before);
        // a caller's detail ("1.2 of 4 GB") is the description, the percentage is the value.
        aria-labelledby={`${id}-label`}
        aria-describedby={detail !== undefined ? `${id}-detail` : undefined}
      >
        {/* An SVG rect sized by attribute: no inline style, so the strict CSP never objects. */}
        <svg className="progress__svg" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
          <rect className="progress__fill" x="0" y="0" height="1" width={fraction === null ? 30 : fraction * 100} />
        </svg>
      </div>
    </div>
  );
}
