import { useEffect, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { cx } from './cx.ts';
import { Field } from './Field.tsx';
import { Spinner } from './Spinner.tsx';

interface FieldBits {
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  /** Shows a small spinner by the label while a change is being saved. */
  busy?: boolean;
  id?: string;
}

function busyAside(busy: boolean | undefined): ReactNode {
  return busy ? (
    <span className="field__busy">
      <Spinner size={12} /> Saving…
    </span>
  ) : null;
}

export interface TextInputProps extends FieldBits, Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'> {
  value: string;
  onChange: (value: string) => void;
}

export function TextInput({ label, help, error, busy, id, value, onChange, className, ...rest }: TextInputProps) {
  return (
    <Field label={label} help={help} error={error} aside={busyAside(busy)} {...(id !== undefined ? { id } : {})}>
      {(control) => (
        <input
          {...rest}
          {...control}
          className={cx('input', className)}
          type={rest.type ?? 'text'}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

function rangeMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `Enter a value from ${min} to ${max}.`;
  if (min !== undefined) return `Enter a value of at least ${min}.`;
  return `Enter a value of at most ${max ?? 0}.`;
}

export interface NumberInputProps extends FieldBits {
  value: number | null;
  /** Called with the parsed number, or null while the box is empty. */
  onChange: (value: number | null) => void;
  min?: number;
  max?: number;
  /** An integer step (e.g. 1) also refuses fractions. */
  step?: number;
  /** Shown inside the box after the number, e.g. "min" or "°C". */
  unit?: string;
  disabled?: boolean;
  onBlur?: () => void;
}

/**
 * Keeps what the user typed as text so that half-typed values ("1.", "-") do not jump
 * around, and only reports numbers that parse.
 */
export function NumberInput({ label, help, error, busy, id, value, onChange, min, max, step, unit, disabled, onBlur }: NumberInputProps) {
  const [draft, setDraft] = useState(value === null ? '' : String(value));
  const [localError, setLocalError] = useState<string | null>(null);
  useEffect(() => {
    // Follow the value from outside (e.g. the saved setting) unless the draft already means it.
    setDraft((current) => (current.trim() !== '' && Number(current) === value ? current : value === null ? '' : String(value)));
  }, [value]);
  const handle = (text: string) => {
    setDraft(text);
    if (text.trim() === '') {
      setLocalError(null);
      onChange(null);
      return;
    }
    const parsed = Number(text);
    if (!Number.isFinite(parsed)) {
      setLocalError('Enter a number, for example 10.');
      return;
    }
    if ((min !== undefined && parsed < min) || (max !== undefined && parsed > max)) {
      setLocalError(rangeMessage(min, max));
      return;
    }
    if (step !== undefined && Number.isInteger(step) && !Number.isInteger(parsed)) {
      setLocalError('Enter a whole number.');
      return;
    }
    setLocalError(null);
    onChange(parsed);
  };
  return (
    <Field label={label} help={help} error={localError ?? error} aside={busyAside(busy)} {...(id !== undefined ? { id } : {})}>
      {(control) => (
        <div className={cx('input-group', disabled && 'is-disabled')}>
          <input
            {...control}
            // The unit is drawn inside the box but hidden from the accessibility tree (it would
            // read as a stray word); referenced here it is said with the field, e.g. "minutes".
            aria-describedby={unit !== undefined ? [control['aria-describedby'], `${control.id}-unit`].filter(Boolean).join(' ') : control['aria-describedby']}
            className="input input--number"
            type="text"
            inputMode="decimal"
            value={draft}
            disabled={disabled}
            onChange={(event) => handle(event.target.value)}
            onBlur={onBlur}
          />
          {unit !== undefined && (
            <span className="input-group__unit" id={`${control.id}-unit`} aria-hidden="true">
              {unit}
            </span>
          )}
        </div>
      )}
    </Field>
  );
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

export interface SelectProps<T extends string> extends FieldBits {
  value: T;
  options: readonly SelectOption<T>[];
  onChange: (value: T) => void;
  disabled?: boolean;
}

export function Select<T extends string>({ label, help, error, busy, id, value, options, onChange, disabled }: SelectProps<T>) {
  return (
    <Field label={label} help={help} error={error} aside={busyAside(busy)} {...(id !== undefined ? { id } : {})}>
      {(control) => (
        <div className="select">
          <select
            {...control}
            className="select__native"
            value={value}
            disabled={disabled}
            onChange={(event) => {
              const next = options.find((option) => option.value === event.target.value);
              if (next) onChange(next.value);
            }}
          >
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <svg className="select__chevron" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
      )}
    </Field>
  );
}

export interface ToggleProps extends FieldBits {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** An on/off switch (role="switch"); the label sits at the left, the switch at the right. */
export function Toggle({ label, help, error, busy, id, checked, onChange, disabled }: ToggleProps) {
  return (
    <Field label={label} help={help} error={error} layout="row" aside={busyAside(busy)} {...(id !== undefined ? { id } : {})}>
      {(control) => (
        <button
          {...control}
          type="button"
          role="switch"
          aria-checked={checked}
          className={cx('toggle', checked && 'is-on')}
          disabled={disabled === true || busy === true}
          onClick={() => onChange(!checked)}
        >
          <span className="toggle__thumb" aria-hidden="true" />
        </button>
      )}
    </Field>
  );
}
