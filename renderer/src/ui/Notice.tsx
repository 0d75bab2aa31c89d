import type { ReactNode } from 'react';
import { cx } from './cx.ts';
import { AlertIcon, InfoIcon } from './icons.tsx';

/** A banner inside a page: a warning from core, an error a call returned, a hint. */
export function Notice({ tone = 'info', title, children, action }: { tone?: 'info' | 'warn' | 'error'; title?: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className={cx('notice', `tone--${tone}`)} role={tone === 'error' ? 'alert' : 'status'}>
      <span className="notice__icon" aria-hidden="true">
        {tone === 'info' ? <InfoIcon /> : <AlertIcon />}
      </span>
      <div className="notice__text">
        {title !== undefined && <p className="notice__title">{title}</p>}
        {children !== undefined && <div className="notice__body">{children}</div>}
      </div>
      {action !== undefined && <div className="notice__action">{action}</div>}
    </div>
  );
}
