import { z } from 'zod';
import { call } from '../define.ts';

/**
 * The Console: a terminal on this machine. Core decides what runs (the user's shell in
 * Hearth's data folder); a client only sends keystrokes, sizes and acknowledgements.
 * Output arrives as numbered `console:data` batches, sent only to the client that
 * opened the session; the client acks each batch once it has drawn it, and core pauses
 * the shell while too much is unacknowledged.
 */

/** Bounds a real terminal window stays within; anything else is refused. */
export const CONSOLE_LIMITS = {
  minCols: 2,
  maxCols: 1000,
  minRows: 1,
  maxRows: 500,
  /** One input message (a keystroke or a paste), in UTF-16 code units. */
  maxInput: 64 * 1024,
} as const;

const sessionId = z.string().min(1).max(64);
const cols = z.number().int().min(CONSOLE_LIMITS.minCols).max(CONSOLE_LIMITS.maxCols);
const rows = z.number().int().min(CONSOLE_LIMITS.minRows).max(CONSOLE_LIMITS.maxRows);

export const consoleOpened = z.object({
  id: sessionId,
  /** The program running, e.g. /bin/bash, for the page's header. */
  shell: z.string(),
  /** The folder it started in (Hearth's data folder). */
  cwd: z.string(),
  /** Whether `hearth` is on the shell's PATH (not in the installed desktop app, which ships no Node). */
  hearth: z.boolean(),
});
export type ConsoleOpened = z.infer<typeof consoleOpened>;

export const consoleCalls = {
  /** Starts a shell. Refused with `console_disabled` (daemon without --console), `console_limit` or `console_unavailable`. */
  'console:open': call(z.object({ cols, rows }).strict(), consoleOpened),
  'console:input': call(z.object({ id: sessionId, data: z.string().min(1).max(CONSOLE_LIMITS.maxInput) }).strict(), z.object({})),
  'console:resize': call(z.object({ id: sessionId, cols, rows }).strict(), z.object({})),
  /** Everything up to and including batch `seq` has been drawn. */
  'console:ack': call(z.object({ id: sessionId, seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict(), z.object({})),
  'console:close': call(z.object({ id: sessionId }).strict(), z.object({})),
};

export const consoleEvents = {
  /** One batch of output; `seq` counts up from 1 per session. */
  'console:data': z.object({ id: sessionId, seq: z.number().int().min(1), data: z.string() }),
  /** The shell ended; no more data follows. `code` is null when it was killed by a signal. */
  'console:exit': z.object({ id: sessionId, code: z.number().int().nullable(), signal: z.number().int().nullable() }),
};
