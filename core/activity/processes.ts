import { readdirSync, readFileSync } from 'node:fs';
import { runCommand, type RunCommand } from './run-command.ts';

/** Names of running programs, lower case, without folder or ".exe". Null when unknowable. */
export type ProcessLister = () => Promise<{ names: Set<string> } | { error: string }>;

/** Lower-case program name without directory or ".exe" (what the user's app list holds). */
export function programName(raw: string): string {
  const last = raw.trim().split(/[\\/]/).pop() ?? '';
  return last.replace(/\.exe$/i, '').trim().toLowerCase();
}

/** Parses `tasklist /fo csv /nh` lines: "game.exe","1234","Console","1","12,345 K". */
export function parseTasklistCsv(stdout: string): Set<string> {
  const names = new Set<string>();
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^"([^"]+)"/.exec(line.trim());
    if (m?.[1]) names.add(programName(m[1]));
  }
  return names;
}

/**
 * Linux: /proc/<pid>/comm (15 chars) and the executable's base name from cmdline, which can be
 * longer. Read synchronously: procfs lives in memory and answers at once, and two promise-based
 * reads per process every few seconds (open, fstat, read, close through the thread pool) were
 * most of the daemon's CPU time at rest.
 */
async function listLinux(): Promise<{ names: Set<string> } | { error: string }> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch (error) {
    return { error: `cannot list /proc (${String(error)})` };
  }
  const names = new Set<string>();
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    const comm = readOrEmpty(`/proc/${pid}/comm`);
    if (comm) names.add(programName(comm));
    const argv0 = readOrEmpty(`/proc/${pid}/cmdline`).split('\0')[0];
    // Wine/Proton games show up as "C:\...\Game.exe" in argv[0].
    if (argv0) names.add(programName(argv0.replace(/\\/g, '/')));
  }
  names.delete('');
  return { names };
}

/** A process can exit between the listing and the read: that is not an error. */
function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The running-program lister for this OS: /proc on Linux, tasklist on Windows, ps elsewhere. */
export function createProcessLister(platform: NodeJS.Platform = process.platform, run: RunCommand = runCommand): ProcessLister {
  if (platform === 'linux') return listLinux;
  if (platform === 'win32') {
    return async () => {
      const r = await run('tasklist', ['/fo', 'csv', '/nh'], 3000);
      return r.ok ? { names: parseTasklistCsv(r.stdout) } : { error: r.reason };
    };
  }
  return async () => {
    const r = await run('ps', ['-axco', 'comm='], 3000);
    if (!r.ok) return { error: r.reason };
    return { names: new Set(r.stdout.split('\n').map(programName).filter(Boolean)) };
  };
}
