import { open, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { diskFullError, isDiskFull } from './disk-full.ts';

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content,
 * never a torn mix: write a temp file beside it, fsync it, rename over, fsync the folder.
 * Any failure before the rename removes the temp file (a full disk must not be filled
 * further by leftovers) and leaves the old file as it was; a full disk is reported as
 * HearthError `disk_full` naming `what` (default: the file's name).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, what = basename(path)): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (isDiskFull(error)) throw diskFullError(what, dirname(path), error);
    throw error;
  }
  await syncDir(dirname(path));
}

async function syncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable on Linux; Windows cannot open folders this way.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
