/**
 * Errors that cross a boundary carry a stable `code` (for programs) and a sentence a
 * person can act on (for people). Anything else thrown inside core is reported as
 * `internal` so no stack trace or secret leaks to a page.
 */
export class HearthError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HearthError';
    this.code = code;
  }
}

/** True when `value` is a HearthError (also across realms, by shape). */
export function isHearthError(value: unknown): value is HearthError {
  return (
    value instanceof HearthError ||
    (value instanceof Error && value.name === 'HearthError' && typeof (value as { code?: unknown }).code === 'string')
  );
}
