import { useId, type HTMLAttributes, type ReactNode, type Ref } from 'react';
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
  const titleId = `card${useId().replace(/:/g, '')}`;
  // A <section> is a region (a landmark screen readers list) only when it has a name: its
  // title, unless the caller named it already.
  const named = rest['aria-label'] !== undefined || rest['aria-labelledby'] !== undefined;
  return (
    <section {...rest} aria-labelledby={named || title === undefined ? rest['aria-labelledby'] : titleId} className={cx('card', flush && 'card--flush', className)}>
      {hasHeader && (
        <header className="card__header">
          <div className="card__heading">
            {title !== undefined && (
              <h2 className="card__title" id={titleId}>
                {title}
              </h2>
            )}
            {description !== undefined && <p className="card__description">{description}</p>}
          </div>
          {actions !== undefined && <div className="card__actions">{actions}</div>}
        </header>
      )}
      <div className="card__body">{children}</div>
    </section>
  );
}
