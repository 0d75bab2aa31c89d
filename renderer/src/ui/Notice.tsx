import type { ReactNode } from 'react';
import { cx } from './cx.ts';
import { AlertIcon, CheckIcon, InfoIcon } from './icons.tsx';

export type NoticeTone = 'info' | 'ok' | 'warn' | 'error';

const icons: Record<NoticeTone, ReactNode> = { info: <InfoIcon />, ok: <CheckIcon />, warn: <AlertIcon />, error: <AlertIcon /> };

export interface NoticeProps {
  tone?: NoticeTone;
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  /**
   * False for a notice whose body changes all the time (a download's progress): as a live
   * region it would be read out again on every tick. Its text stays on the page to read.
   */
  live?: boolean;
}

/**
 * A banner inside a page: a warning from core, an error a call returned, a hint. Errors are
 * alerts (read out at once); the others, successes included, are polite statuses.
 */
export function Notice({ tone = 'info', title, children, action, live = true }: NoticeProps) {
  return (
    <div className={cx('notice', `tone--${tone}`)} role={live ? (tone === 'error' ? 'alert' : 'status') : undefined}>
      <span className="notice__icon" aria-hidden="true">
        {icons[tone]}
      </span>
      <div className="notice__text">
        {title !== undefined && <p className="notice__title">{title}</p>}
        {children !== undefined && <div className="notice__body">{children}</div>}
      </div>
      {action !== undefined && <div className="notice__action">{action}</div>}
    </div>
  );
}
