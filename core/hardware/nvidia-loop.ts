/**
 * nvidia-smi in loop mode (`-lms <ms>`): one long-lived process prints a block of CSV lines
 * (one per GPU) every interval. Starting nvidia-smi once a second costs Hearth ~3-4 ms of
 * CPU each time (fork, exec, pipes); reading a line from a running one costs almost nothing.
 * A loop that stops printing (hung driver) is killed and restarted on the next read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { HardwareClock } from './clock.ts';
import { ToolError } from './exec.ts';
import { TELEMETRY_FIELDS, queryArgs } from './nvidia-query.ts';

export type NvidiaLoopOptions = {
  path: string;
  clock: HardwareClock;
  env?: NodeJS.ProcessEnv;
  intervalMs: number;
  /** NVIDIA GPUs in the inventory: a block is complete when it has this many lines. */
  expectedGpus?: number;
  /** Longest wait for the first block after (re)starting. */
  firstBlockTimeoutMs?: number;
};

export type NvidiaLoop = {
  /** CSV (TELEMETRY_FIELDS, noheader, nounits) of the newest complete block. */
  latestCsv(): Promise<string>;
  setIntervalMs(ms: number): void;
  close(): void;
};

function kill(child: ChildProcess | null): void {
  if (!child || child.exitCode !== null || child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
}

/** Starts lazily on the first latestCsv(). */
export function createNvidiaLoop(opts: NvidiaLoopOptions): NvidiaLoop {
  const { clock } = opts;
  let intervalMs = opts.intervalMs;
  let child: ChildProcess | null = null;
  let partial = '';
  let pending: string[] = [];
  let lastIndex = -1;
  let latest: { text: string; at: number } | null = null;
  let stderr = '';
  let waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  const publish = () => {
    if (pending.length === 0) return;
    latest = { text: `${pending.join('\n')}\n`, at: clock.now() };
    pending = [];
    for (const w of waiters.splice(0)) w.resolve();
  };

  const onLine = (line: string) => {
    const index = Number.parseInt(line, 10);
    if (!Number.isFinite(index)) return; // noise: a block with no readable line never publishes
    if (pending.length > 0 && index <= lastIndex) publish();
    pending.push(line);
    lastIndex = index;
    if (opts.expectedGpus !== undefined && pending.length >= opts.expectedGpus) publish();
  };

  function start(): void {
    partial = '';
    pending = [];
    lastIndex = -1;
    stderr = '';
    const c = spawn(opts.path, [...queryArgs('gpu', TELEMETRY_FIELDS), '-lms', String(intervalMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
      env: opts.env ?? process.env,
    });
    child = c;
    c.stdout?.setEncoding('utf8');
    c.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) onLine(l.trim());
    });
    c.stderr?.setEncoding('utf8');
    c.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const fail = (e: ToolError) => {
      // A process we already replaced (rate change, hang) may still report its end: ignore it.
      if (child !== c) return;
      child = null;
      latest = null;
      for (const w of waiters.splice(0)) w.reject(e);
    };
    c.on('error', (e: NodeJS.ErrnoException) => fail(new ToolError(e.code === 'ENOENT' ? 'absent' : 'spawn', `${opts.path}: ${e.message}`)));
    c.on('close', (code) => {
      const detail = stderr.trim().split(/\r?\n/)[0] ?? '';
      fail(new ToolError('exit', `${opts.path} stopped (exit code ${code})${detail ? `: ${detail}` : ''}.`, stderr, code));
    });
  }

  function waitForBlock(): Promise<void> {
    const timeoutMs = opts.firstBlockTimeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        waiters = waiters.filter((w) => w !== entry);
        kill(child);
        child = null;
        reject(new ToolError('timeout', `${opts.path} did not answer within ${Math.round(timeoutMs / 1000)} s; the GPU driver may be hung.`));
      }, timeoutMs);
      const entry = {
        resolve: () => {
          clock.clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clock.clearTimeout(timer);
          reject(e);
        },
      };
      waiters.push(entry);
    });
  }

  return {
    async latestCsv() {
      const staleMs = intervalMs * 3 + 5000;
      if (child && latest && clock.now() - latest.at > staleMs) {
        // Running but silent: a hung driver. Kill it; the next read starts a fresh one.
        kill(child);
        child = null;
        latest = null;
        throw new ToolError('timeout', `${opts.path} stopped reporting; the GPU driver may be hung.`);
      }
      if (!child) start();
      if (latest) return latest.text;
      await waitForBlock();
      return (latest as { text: string } | null)?.text ?? '';
    },
    setIntervalMs(ms) {
      if (ms === intervalMs) return;
      intervalMs = ms;
      kill(child); // restarted with the new interval on the next read; the last block stays valid meanwhile
      child = null;
    },
    close() {
      kill(child);
      child = null;
      for (const w of waiters.splice(0)) w.reject(new ToolError('exit', 'Telemetry stopped.'));
    },
  };
}
