import { HearthError } from '../../common/errors.ts';

/** SQLite's result code for "database or disk is full" (a full disk, or max_page_count reached). */
const SQLITE_FULL = 13;

/**
 * True when `error` says the disk (or the user's quota) is full: Node's ENOSPC and EDQUOT,
 * and SQLite's SQLITE_FULL, which is what a full disk becomes inside node:sqlite.
 */
export function isDiskFull(error: unknown): boolean {
  if (error instanceof HearthError) return error.code === 'disk_full';
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  return typeof errcode === 'number' && (errcode & 0xff) === SQLITE_FULL;
}

/**
 * The error a person sees when a save hit a full disk: what was not saved, where, that the
 * previous state is kept, and what to do. `what` reads as a noun phrase ("the settings").
 */
export function diskFullError(what: string, where: string, cause: unknown): HearthError {
  return new HearthError(
    'disk_full',
    `The disk is full: ${what} could not be saved in ${where}, and the previous version is kept. Free some space on that disk; Hearth saves again once there is room.`,
    { cause },
  );
}
