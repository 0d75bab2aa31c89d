import { chmod, mkdir, stat } from 'node:fs/promises';

/**
 * Makes `dir` (and any missing parents) readable by this user only. A folder that already
 * exists with wider rights (made by an older Hearth, or by hand) is tightened to 0700: the
 * keystore, the settings and the runtime token live under it. Windows has no POSIX modes;
 * its user folders are private by their ACLs.
 */
export async function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') return;
  const info = await stat(dir);
  // Only our own folder: tightening one that belongs to someone else would fail anyway.
  if ((info.mode & 0o077) !== 0 && info.uid === process.getuid?.()) await chmod(dir, 0o700);
}
