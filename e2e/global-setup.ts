import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './support/daemon.ts';
import { electronBinary } from './support/electron.ts';

/**
 * Builds the renderer the daemon serves, so a run always tests the current code.
 * HEARTH_E2E_SKIP_BUILD=1 reuses dist/renderer (e.g. when a script just built it).
 */
export default function globalSetup(): void {
  const built = existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'));
  if (process.env['HEARTH_E2E_SKIP_BUILD'] === '1' && built) return;
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(repoRoot, 'renderer', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`Building the renderer failed (exit ${result.status ?? 'signal'}).`);
  // bin/hearth.mjs runs the daemon bundle when it exists: build it, so the specs run today's code as users get it.
  const daemon = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-electron.mjs'), '--daemon-only'], { cwd: repoRoot, stdio: 'inherit' });
  if (daemon.status !== 0) throw new Error(`Building the daemon failed (exit ${daemon.status ?? 'signal'}).`);
  // The electron project launches dist/electron/main.cjs: build it where it can run.
  const electron = electronBinary();
  // The list reporter shows skips without their reason: say it once here.
  if ('reason' in electron) process.stdout.write(`Electron project: its tests will be skipped — ${electron.reason}\n`);
  if ('path' in electron) {
    const shell = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-electron.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    if (shell.status !== 0) throw new Error(`Building the Electron shell failed (exit ${shell.status ?? 'signal'}).`);
  }
}
