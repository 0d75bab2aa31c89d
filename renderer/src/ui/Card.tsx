import type { HTMLAttributes, ReactNode, Ref } from 'react';
import { cx } from './cx.ts';

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links shown at the right of the header. */
  actions?: ReactNode;
  /** `flush` removes the body padding, for tables and lists that run edge to edge. */
  flush?: boolean;
  ref?: Ref<HTMLElement>;
}

export function Card({ title, description, actions, flush = false, className, children, ...rest }: CardProps) {
  const hasHeader = title !== undefined || actions !== undefined;
  return (
    <section {...rest} className={cx('card', flush && 'card--flush', className)}>
      {hasHeader && (
        <header className="card__header">
          <div className="card__heading">
            {title !== undefined && <h2 className="card__title">{title}</h2>}
            {description !== undefined && <p className="card__description">{description}</p>}
          </div>
          {actions !== undefined && <div className="card__actions">{actions}</div>}
        </header>
      )}
      <div className="card__body">{children}</div>
    </section>
  );
}
