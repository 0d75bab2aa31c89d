// Finds the Electron runtime without triggering the `electron` package's implicit
// download (requiring it downloads on first use, which fails offline with a stack trace).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

/** The Electron executable's path, or null when it is not installed. */
export function findElectronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
  const full = relative ? join(base, relative) : null;
  return full && existsSync(full) ? full : null;
}

/** Runs the package's own installer once, quietly; true when the runtime is then present. */
export function tryInstallElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return false;
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return false;
  }
  spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  return findElectronBinary() !== null;
}
