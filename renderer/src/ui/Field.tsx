import { useId, type ReactNode } from 'react';
import { cx } from './cx.ts';

/** The accessibility wiring a control inside a Field needs. */
export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export interface FieldProps {
  label: ReactNode;
  help?: ReactNode;
  /** A message saying what is wrong and what to do; shown under the control. */
  error?: string | null;
  /** `row` puts the control at the right of the label (toggles); `stack` under it. */
  layout?: 'stack' | 'row';
  /** Extra content at the right of the label, e.g. a "saving" spinner. */
  aside?: ReactNode;
  /** Renders the control with the ids that tie it to its label, help and error. */
  children: (control: FieldControlProps) => ReactNode;
  id?: string;
}

/** Label, help text and inline error around one control. */
export function Field({ label, help, error, layout = 'stack', aside, children, id }: FieldProps) {
  const generated = useId();
  const controlId = id ?? `field${generated.replace(/:/g, '')}`;
  const helpId = `${controlId}-help`;
  const errorId = `${controlId}-error`;
  const describedBy = [help !== undefined ? helpId : null, error ? errorId : null].filter(Boolean).join(' ');
  const control: FieldControlProps = { id: controlId };
  if (describedBy) control['aria-describedby'] = describedBy;
  if (error) control['aria-invalid'] = true;
  return (
    <div className={cx('field', `field--${layout}`, error && 'field--invalid')}>
      <div className="field__text">
        <div className="field__label-row">
          <label className="field__label" htmlFor={controlId}>
            {label}
          </label>
          {aside}
        </div>
        {help !== undefined && (
          <p className="field__help" id={helpId}>
            {help}
          </p>
        )}
      </div>
      <div className="field__control">{children(control)}</div>
      {error ? (
        <p className="field__error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
