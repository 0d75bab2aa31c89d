import type { ReactNode } from 'react';
import { cx } from './cx.ts';

export type Tone = 'ok' | 'warn' | 'error' | 'idle' | 'info' | 'accent';

export function Badge({ tone = 'idle', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={cx('badge', `tone--${tone}`)}>{children}</span>;
}

export type PillStatus = 'ok' | 'warn' | 'error' | 'idle';

/** A status with a coloured dot; `pulse` marks something live (e.g. connecting). */
export function StatusPill({ status, children, pulse = false }: { status: PillStatus; children: ReactNode; pulse?: boolean }) {
  return (
    <span className={cx('status-pill', `tone--${status}`, pulse && 'status-pill--pulse')} data-status={status}>
      <span className="status-pill__dot" aria-hidden="true" />
      {children}
    </span>
  );
}
