/**
 * What the benches share to run the real daemon (`hearth daemon`, the built bundle when there is
 * one) and to watch it from outside through /proc. Not a bench itself: scripts/bench.ts runs only
 * the files directly in bench/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { HearthContract } from '../../common/ipc/contract.ts';
import type { CallOutput } from '../../common/ipc/define.ts';
import type { Connection } from '../../daemon/cli/connect.ts';
import { readRuntimeFile, type RuntimeInfo } from '../../daemon/runtime-file.ts';
import { stopChild } from '../../core/test-support.ts';

export const root = join(import.meta.dirname, '..', '..');

export interface Daemon {
  pid: number;
  /** From the runtime file, as the CLI reads it (the ready line need not carry the token). */
  runtime: RuntimeInfo;
  /** The daemon's stderr (its log), the last 20 kB. */
  log(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Builds dist/daemon (the bundle `hearth daemon` runs), as `npm run build:daemon` does. */
export function buildDaemon(): void {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs'), '--daemon-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('building the daemon failed');
}

/**
 * Starts `hearth daemon` as a user does and resolves once its runtime file names this process,
 * which is written when the API listens.
 */
export async function startDaemon(dataDir: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Daemon> {
  const child = spawn(process.execPath, [join(root, 'bin', 'hearth.mjs'), 'daemon', '--data-dir', dataDir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`the daemon exited (${child.exitCode ?? child.signalCode}) before it was ready\n${stderr}`);
    const info = await readRuntimeFile(dataDir);
    if (info && info.pid === child.pid) return { pid: child.pid, runtime: info, log: () => stderr, exited, stop: () => stopChild(child, 15_000) };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the daemon did not start in ${timeoutMs / 1000} s\n${stderr}`);
    }
    await sleep(100);
  }
}


/** Kills every daemon this module started (for SIGINT handlers and `finally` blocks). */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a value; a throw is kept as the reason if time runs out.
 * Unlike core/test-support's, the interval is the caller's: a bench polling the daemon while
 * it measures should not add load of its own.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}


/** Waits for the daemon's local chain (Anvil, deployed) and returns its status. */
export const chainReady = (api: Connection): Promise<CallOutput<HearthContract, 'chain:status'>> =>
  waitFor(async () => {
    const s = await api.client.call('chain:status', {});
    if (s.devnet.state === 'failed') throw new Error(`devnet failed: ${s.devnet.error ?? ''}`);
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  }, 'the local chain', 120_000);

// ── /proc readers (Linux) ──

/** CPU time of a process in ms (schedstat: nanoseconds on a CPU; else utime+stime ticks at 100 Hz). */
export function cpuMs(pid: number): number {
  const sched = `/proc/${pid}/schedstat`;
  if (existsSync(sched)) return Number(readFileSync(sched, 'utf8').split(' ')[0]) / 1e6;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const statusField = (pid: number, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** Resident set size in MB (VmRSS). */
export const rssMb = (pid: number): number => statusField(pid, 'VmRSS') / 1024;

/** OS threads (Node's main thread, libuv's pool, V8's helpers, worker threads). */
export const threadCount = (pid: number): number => statusField(pid, 'Threads');

/** Open file descriptors by kind: socket, pipe, anon_inode (eventfd, epoll, timerfd...), file. */
export function fdKinds(pid: number): { total: number; socket: number; pipe: number; anon: number; file: number } {
  const out = { total: 0, socket: 0, pipe: 0, anon: 0, file: 0 };
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read
    }
    out.total++;
    if (target.startsWith('socket:')) out.socket++;
    else if (target.startsWith('pipe:')) out.pipe++;
    else if (target.startsWith('anon_inode:')) out.anon++;
    else out.file++;
  }
  return out;
}

/** Every process below `pid`, with its name. */
export function descendants(pid: number): { pid: number; name: string }[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return [{ pid: Number(d), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) }];
      } catch {
        return [];
      }
    });
  const found: { pid: number; name: string }[] = [];
  const walk = (parent: number): void => {
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push({ pid: p.pid, name: p.name });
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}
