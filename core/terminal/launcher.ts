import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to run this install's `hearth` command: a program and the arguments before the user's. */
export interface HearthCommand {
  program: string;
  args: string[];
}

/**
 * Finds `bin/hearth.mjs` above this module. Searching upward (rather than a fixed `../..`)
 * keeps working when this file is bundled into dist/.
 */
export function findHearthScript(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (let i = 0; i < 6; i += 1) {
    const candidate = join(dir, 'bin', 'hearth.mjs');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/**
 * The right Node for `hearth`: this very Node in the daemon. Inside Electron the binary
 * is Electron itself, which cannot run as Node (the packaged app's RunAsNode fuse is off),
 * so only the Node installed beside the project will do; without one there is no command.
 */
export function hearthCommand(script: string, runtime: { execPath: string; electron: boolean; platform: NodeJS.Platform } = {
  execPath: process.execPath,
  electron: Boolean(process.versions['electron']),
  platform: process.platform,
}): HearthCommand | null {
  if (!runtime.electron) return { program: runtime.execPath, args: [script] };
  const bundled = join(dirname(dirname(script)), 'node_modules', 'node', 'bin', runtime.platform === 'win32' ? 'node.exe' : 'node');
  return existsSync(bundled) ? { program: bundled, args: [script] } : null;
}

/** Quotes for POSIX sh: everything inside single quotes is literal. */
const shQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The launcher script's text for `platform`. */
export function launcherScript(command: HearthCommand, platform: NodeJS.Platform): { name: string; text: string } {
  if (platform === 'win32') {
    const line = [command.program, ...command.args].map((part) => `"${part}"`).join(' ');
    return { name: 'hearth.cmd', text: `@echo off\r\n${line} %*\r\n` };
  }
  const line = [command.program, ...command.args].map(shQuote).join(' ');
  return {
    name: 'hearth',
    text: `#!/bin/sh\n# Written by Hearth for its Console: runs this install's hearth command.\nexec ${line} "$@"\n`,
  };
}

/**
 * Writes the `hearth` launcher into `dir` (rewritten each time, so it follows the
 * install it belongs to) and returns the folder to put first on PATH, or null when this
 * install has no `hearth` command to offer.
 */
export async function writeHearthLauncher(dir: string, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const script = findHearthScript();
  const command = script ? hearthCommand(script) : null;
  if (!command) return null;
  const { name, text } = launcherScript(command, platform);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  await writeFile(path, text, { mode: 0o700 });
  await chmod(path, 0o700);
  return dir;
}
