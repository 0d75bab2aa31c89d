import type { ReactNode } from 'react';
import { Badge } from './Badge.tsx';

export interface EmptyStateProps {
  icon?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ icon, title, children, action }: EmptyStateProps) {
  return (
    <div className="empty-state">
      {icon !== undefined && (
        <div className="empty-state__icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <h2 className="empty-state__title">{title}</h2>
      {children !== undefined && <div className="empty-state__body">{children}</div>}
      {action !== undefined && <div className="empty-state__action">{action}</div>}
    </div>
  );
}

export interface NotYetProps {
  icon?: ReactNode;
  /** The capability, e.g. "Wallet". */
  capability: string;
  /** One sentence: what this page will show. */
  summary: ReactNode;
  /** What it will let the user do, one short line each. */
  planned?: readonly string[];
}

/**
 * For a capability this version does not have. It says plainly what will be here and
 * that it is not available yet, rather than showing fake data.
 */
export function NotYet({ icon, capability, summary, planned = [] }: NotYetProps) {
  return (
    <div className="not-yet" data-testid="not-yet">
      <EmptyState icon={icon} title={`${capability} is not available in this version`}>
        <Badge tone="idle">Coming later</Badge>
        <p className="not-yet__summary">{summary}</p>
        {planned.length > 0 && (
          <ul className="not-yet__list" aria-label={`What ${capability} will do`}>
            {planned.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        )}
      </EmptyState>
    </div>
  );
}
