#!/usr/bin/env node
// `npm start`: build what is needed, then open the desktop app. Where Electron's runtime
// is not installed or there is no display, say so in one line and run the daemon instead.
import { spawn, spawnSync } from 'node:child_process';
import { findElectronBinary, tryInstallElectron } from './electron-binary.mjs';

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Electron binary path, or the reason it cannot be used here. */
function electronBinary() {
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  // Without a display there is no point fetching the runtime now.
  const path = findElectronBinary() ?? (noDisplay ? null : tryInstallElectron() ? findElectronBinary() : null);
  if (!path) return { reason: `the Electron runtime is not installed${noDisplay ? ' and there is no display' : ' (its download was skipped or failed)'}` };
  if (noDisplay) return { reason: 'there is no display' };
  return { path };
}

run('npm', ['run', '--silent', 'build:renderer']);
const electron = electronBinary();
if (electron.path) {
  run('npm', ['run', '--silent', 'build:electron']);
  const child = spawn(electron.path, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(`Desktop window unavailable: ${electron.reason}. Starting the headless daemon instead; open the address below in a browser.\n`);
  // bin/hearth.mjs runs the bundle when there is one: build it so it is never older than the sources.
  run('npm', ['run', '--silent', 'build:daemon']);
  const child = spawn(process.execPath, ['bin/hearth.mjs', 'daemon', ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the daemon through the shared terminal; wait for its clean exit.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
}
