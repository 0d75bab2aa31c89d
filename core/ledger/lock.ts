/**
 * One writer per ledger file: `<path>.lock`, created with O_EXCL and holding the owner's pid.
 * A lock whose pid is gone (a crash, a SIGKILL) is stale and taken over; a live one means
 * another Hearth has this data folder open.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { HearthError } from '../../common/errors.ts';
import { processAlive } from '../process-alive.ts';

/** A held lock; `release` removes the file if it is still ours. */
export interface LedgerLock {
  readonly path: string;
  release(): void;
}

function readOwner(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes `<dbPath>.lock` (mode 0o600) or throws HearthError `ledger_busy`.
 * Pid reuse can make a stale lock look live; the user then sees `ledger_busy` with the path to remove.
 */
export function acquireLock(dbPath: string): LedgerLock {
  const lockPath = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
      } finally {
        closeSync(fd);
      }
      return {
        path: lockPath,
        release() {
          if (readOwner(lockPath) !== process.pid) return;
          try {
            unlinkSync(lockPath);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockPath);
    // A lock file with no readable pid may be one being written right now: give it one more look.
    if (owner === null && attempt === 0) continue;
    if (owner !== null && processAlive(owner)) {
      throw new HearthError(
        'ledger_busy',
        `Another Hearth (process ${owner}) is using the job history in this data folder. Quit it first; if none is running, delete ${lockPath}.`,
      );
    }
    try {
      unlinkSync(lockPath); // stale: its owner is gone
    } catch {
      // Someone else removed it first; retry the create.
    }
  }
  throw new HearthError('ledger_busy', `Could not take the job history lock ${lockPath}; delete it if no Hearth is running.`);
}
