import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Logger, Ports } from './ports.ts';
import { forkLauncher, noSecretStore, systemClock, unknownActivity } from './node-ports.ts';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'hearth-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A logger that remembers entries so tests can assert on them. */
export function memoryLogger(): Logger & { entries: { level: string; message: string }[] } {
  const entries: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void entries.push({ level, message });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Real time and real timers, with a wall clock the test can step (`jump`), as NTP or a user
 * setting the time does: timers keep their delays, only `now()` moves.
 */
export function steppingClock(): Clock & { jump(ms: number): void } {
  let offset = 0;
  return {
    ...systemClock,
    now: () => Date.now() + offset,
    jump: (ms) => void (offset += ms),
  };
}

/** Ports for tests: real Node pieces, a temp data dir, a quiet logger. */
export function testPorts(dataDir: string, overrides: Partial<Ports> = {}): Ports {
  const logger = memoryLogger();
  return {
    shell: 'daemon',
    version: '0.0.0-test',
    clock: systemClock,
    logger,
    paths: { dataDir, cacheDir: join(dataDir, 'cache'), logsDir: join(dataDir, 'logs') },
    secrets: noSecretStore,
    launcher: forkLauncher,
    notifier: { notify: () => undefined },
    activity: unknownActivity,
    ...overrides,
  };
}

/**
 * Polls `probe` until it returns a value (not undefined), for tests against real processes.
 * A probe that throws is retried; its last error and `context()` end the timeout message.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, context?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}${context ? `\n${context()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Stops a process a test or bench started: SIGTERM, then SIGKILL if it is still there after `graceMs`. Resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
