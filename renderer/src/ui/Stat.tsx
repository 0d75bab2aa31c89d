import { createContext, useContext, type ReactNode } from 'react';
import { cx } from './cx.ts';

/** True inside a StatGrid, whose <dl> already holds the terms; a Stat alone brings its own. */
const InList = createContext(false);

export interface StatProps {
  label: ReactNode;
  value: ReactNode;
  /** A short line under the value, e.g. a unit or a comparison. */
  hint?: ReactNode;
  /** Monospace value, for paths, hashes and addresses. */
  mono?: boolean;
  size?: 'md' | 'lg';
}

export function Stat({ label, value, hint, mono = false, size = 'md' }: StatProps) {
  // A <dt>/<dd> pair is only valid inside a <dl> (or a <div> inside one).
  const Wrapper = useContext(InList) ? 'div' : 'dl';
  return (
    <Wrapper className={cx('stat', `stat--${size}`)}>
      <dt className="stat__label">{label}</dt>
      <dd className={cx('stat__value', mono && 'stat__value--mono')}>{value}</dd>
      {hint !== undefined && <dd className="stat__hint">{hint}</dd>}
    </Wrapper>
  );
}

/** Lays out Stats in a responsive grid (a description list, so screen readers pair label and value). */
export function StatGrid({ children, columns }: { children: ReactNode; columns?: 2 | 3 | 4 }) {
  return (
    <dl className={cx('stat-grid', columns !== undefined && `stat-grid--${columns}`)}>
      <InList.Provider value={true}>{children}</InList.Provider>
    </dl>
  );
}
