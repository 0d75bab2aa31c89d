/**
 * Opening the ledger file: folder and file modes, the one-writer lock, pragmas, a damaged
 * file moved aside, a file from a newer Hearth refused, and migrations.
 *
 * synchronous=NORMAL: in WAL mode a commit survives a process crash (SIGKILL, a Hearth crash)
 * and the file is never corrupted; only a power cut can lose the last few commits. That loss is
 * consistent (the follower cursors live in the same file and roll back with the payments, so the
 * chain is re-read from there) and the chain stays the source of truth for payments, so the
 * fsync per commit that FULL costs is not worth it on a busy market.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { HearthError } from '../../common/errors.ts';
import type { Clock, Logger } from '../ports.ts';
import { acquireLock, type LedgerLock } from './lock.ts';
import { migrate, migrations as allMigrations, schemaVersion, type Migration } from './migrations.ts';
import type { LedgerRecovery } from './types.ts';

/** An open ledger database with its lock. */
export interface OpenedDatabase {
  db: DatabaseSync;
  lock: LedgerLock;
  recovery: LedgerRecovery | null;
}

/** SQLite result codes that mean "this is not (or no longer) a database". */
const DAMAGED = new Set([11 /* SQLITE_CORRUPT */, 26 /* SQLITE_NOTADB */]);

function isDamaged(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' && DAMAGED.has(code & 0xff);
}

function connect(path: string, known: number): DatabaseSync {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600)); // SQLite gives -wal/-shm the file's mode
  const db = new DatabaseSync(path, { timeout: 5000 });
  try {
    // Read before anything writes, so a newer Hearth's file is left exactly as it was.
    const version = schemaVersion(db);
    if (version > known) {
      throw new HearthError(
        'ledger_too_new',
        `The job history at ${path} was written by a newer Hearth (ledger version ${version}; this one knows up to ${known}). Update Hearth to open it, or move the file aside to start a new history.`,
      );
    }
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function moveAside(path: string, now: number): string {
  const movedTo = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, movedTo);
  // The WAL belongs to the damaged file: keep it beside it; the shared-memory index is rebuilt.
  if (existsSync(`${path}-wal`)) renameSync(`${path}-wal`, `${movedTo}-wal`);
  rmSync(`${path}-shm`, { force: true });
  return movedTo;
}

/**
 * Opens (creating if needed) the ledger at `path`. Throws HearthError `ledger_busy` or `ledger_too_new`;
 * a file that is not a readable database is moved aside, reported as `recovery`, and a fresh one opened.
 */
export function openDatabase(options: { path: string; clock: Clock; logger?: Logger; migrations?: readonly Migration[] }): OpenedDatabase {
  const { path, clock, logger } = options;
  const list = options.migrations ?? allMigrations;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const lock = acquireLock(path);
  try {
    let recovery: LedgerRecovery | null = null;
    let db: DatabaseSync | undefined;
    try {
      db = connect(path, list.length);
      migrate(db, list);
    } catch (error) {
      db?.close();
      if (!isDamaged(error)) throw error;
      const movedTo = moveAside(path, clock.now());
      const hearthError = new HearthError(
        'ledger_corrupt',
        `The job history file was damaged and has been moved to ${movedTo}; Hearth started a new history. Earnings already paid are still on the chain.`,
        { cause: error },
      );
      logger?.error(hearthError.message, { code: hearthError.code, path, movedTo, cause: String(error) });
      recovery = { error: hearthError, movedTo };
      db = connect(path, list.length);
      migrate(db, list);
    }
    return { db, lock, recovery };
  } catch (error) {
    lock.release();
    throw error;
  }
}
