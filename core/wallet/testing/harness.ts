import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Ports } from '../../ports.ts';
import { forkLauncher, noSecretStore, systemClock, unknownActivity } from '../../node-ports.ts';

/** A logger that keeps lines for assertions and prints nothing unless HEARTH_TEST_LOG is set. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const line = `${level} ${message} ${fields ? JSON.stringify(fields) : ''}`;
    lines.push(line);
    if (process.env.HEARTH_TEST_LOG) process.stderr.write(`${line}\n`);
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export async function tempDir(prefix = 'hearth-wallet-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function testPorts(dataDir: string, overrides: Partial<Ports> = {}): Ports {
  return {
    shell: 'daemon',
    version: '0.0.0-test',
    clock: systemClock,
    logger: memoryLogger(),
    paths: { dataDir, cacheDir: join(dataDir, 'cache'), logsDir: join(dataDir, 'logs') },
    secrets: noSecretStore,
    launcher: forkLauncher,
    notifier: { notify: () => undefined },
    activity: unknownActivity,
    ...overrides,
  };
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
