/**
 * A real small disk for fault tests: a tmpfs mounted on a fresh folder, filled with a filler
 * file until the kernel answers ENOSPC, emptied again to show recovery. Needs the right to
 * mount (root, or CAP_SYS_ADMIN in a container); without it `smallDisk` returns the reason, and
 * the test is skipped with it rather than faked.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** The mounted folder. */
  dir: string;
  /** Fills the disk, leaving about `leaveBytes` free (0: full to the last block). */
  fill(leaveBytes?: number): void;
  /** Removes the filler: the space is back. */
  free(): void;
  /** Bytes still free. */
  freeBytes(): number;
  unmount(): void;
}

const TMPFS_MAGIC = 0x01021994;

/** Mounts a tmpfs of `sizeKb`; a string says why it could not. */
export function smallDisk(sizeKb = 4096): SmallDisk | string {
  if (process.platform !== 'linux') return 'a real full disk needs Linux tmpfs';
  const dir = mkdtempSync(join(tmpdir(), 'hearth-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a small tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}); run as root to test a real full disk`;
  }
  const filler = join(dir, 'filler');
  let mounted = true;
  // Never fill anything but this small tmpfs: after an unmount the folder is on the real disk.
  const ownDisk = () => {
    const s = statfsSync(dir);
    if (!mounted || s.type !== TMPFS_MAGIC || s.blocks * s.bsize > sizeKb * 1024) throw new Error(`${dir} is no longer the small test disk; refusing to fill it`);
    return s;
  };
  const freeBytes = () => {
    const s = ownDisk();
    return s.bavail * s.bsize;
  };
  return {
    dir,
    freeBytes,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(4096, 0x5a);
      try {
        while (freeBytes() > leaveBytes) {
          const room = freeBytes() - leaveBytes;
          writeSync(fd, chunk, 0, Math.min(chunk.length, Math.max(1, room)));
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      try {
        unlinkSync(filler);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Files a failed save may have left behind (temp files of atomic writes, copies kept aside). */
export function strayFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.tmp$|\.part$|\.prev\.json$/.test(name));
}
