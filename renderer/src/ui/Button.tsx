import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { cx } from './cx.ts';
import { Spinner } from './Spinner.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

interface ButtonBase extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  /** Shows a spinner and ignores clicks while an action is in flight. */
  busy?: boolean;
  icon?: ReactNode;
}

/**
 * A button shows its name as text, or, when it is icon-only, carries it in `aria-label` or
 * `aria-labelledby`: the icon is hidden from screen readers, so a bare icon would be announced
 * as "button" and nothing else. The union makes TypeScript refuse a nameless icon button.
 */
export type ButtonProps = ButtonBase &
  (
    | { children: Exclude<ReactNode, null | undefined | boolean> }
    | { children?: undefined; icon: ReactNode; 'aria-label': string }
    | { children?: undefined; icon: ReactNode; 'aria-labelledby': string }
  );

export function Button({ variant = 'secondary', size = 'md', busy = false, icon, className, disabled, children, type = 'button', onClick, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={cx('btn', `btn--${variant}`, `btn--${size}`, busy && 'is-busy', className)}
      // A busy button keeps focus (a natively disabled one drops it to <body>, stranding a
      // keyboard user), so it is only aria-disabled and swallows clicks, Enter and Space,
      // including the implicit submit a form fires from Enter in a field.
      disabled={disabled === true}
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) return event.preventDefault();
        onClick?.(event);
      }}
    >
      {busy ? <Spinner size={14} /> : icon ? <span className="btn__icon" aria-hidden="true">{icon}</span> : null}
      {children !== undefined && <span className="btn__label">{children}</span>}
    </button>
  );
}
