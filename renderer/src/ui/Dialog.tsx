import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { cx } from './cx.ts';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[inert]'));
}

export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  /** Escape, the close button and a click on the backdrop call this (unless `dismissable` is false). */
  onClose: () => void;
  /** False while something the user started is in flight: the dialog stays until it ends. */
  dismissable?: boolean;
  children: ReactNode;
  /** The buttons at the bottom. */
  footer?: ReactNode;
  size?: 'md' | 'lg';
  testId?: string;
  /** The dialog element, for moving focus inside it as its content changes. */
  panelRef?: RefObject<HTMLDivElement | null>;
}

/**
 * A modal dialog: focus moves in on open and goes back to the opener on close, Tab and
 * Shift+Tab stay inside, Escape closes, and the page behind is inert while it is open.
 */
export function Dialog({ title, description, onClose, dismissable = true, children, footer, size = 'md', testId, panelRef }: DialogProps) {
  const own = useRef<HTMLDivElement>(null);
  const panel = panelRef ?? own;
  const titleId = useId();
  const descriptionId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = panel.current;
    if (!root) return undefined;
    // The first field in the body (not the close button), so typing can start at once.
    const body = root.querySelector<HTMLElement>('.dialog__body');
    (focusables(root).find((el) => el.dataset['autofocus'] !== undefined) ?? (body && focusables(body)[0]) ?? focusables(root)[0] ?? root).focus();
    // Everything else on the page leaves the tab order and the accessibility tree.
    const host = root.closest('.dialog-backdrop');
    const others = [...document.body.children].filter((el) => el !== host && !el.hasAttribute('inert'));
    others.forEach((el) => el.setAttribute('inert', ''));
    return () => {
      others.forEach((el) => el.removeAttribute('inert'));
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (dismissable) closeRef.current();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const list = focusables(panel.current);
    const first = list[0];
    const last = list.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && (document.activeElement === first || document.activeElement === panel.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget && dismissable) closeRef.current();
      }}
    >
      <div
        ref={panel}
        className={cx('dialog', `dialog--${size}`)}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description !== undefined ? descriptionId : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <header className="dialog__header">
          <div>
            <h2 className="dialog__title" id={titleId}>
              {title}
            </h2>
            {description !== undefined && (
              <p className="dialog__description" id={descriptionId}>
                {description}
              </p>
            )}
          </div>
          <button type="button" className="dialog__close" aria-label="Close" disabled={!dismissable} onClick={() => closeRef.current()}>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </button>
        </header>
        <div className="dialog__body">{children}</div>
        {footer !== undefined && <footer className="dialog__footer">{footer}</footer>}
      </div>
    </div>,
    document.body,
  );
}
