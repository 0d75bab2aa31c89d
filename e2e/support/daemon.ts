import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRuntimeFile } from '../../daemon/runtime-file.ts';
import { stopChild } from '../../core/test-support.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DaemonHandle {
  /** The full address with ?token=, as `hearth url` prints it (a piped daemon leaves the token out of its output). */
  url: string;
  /** http://127.0.0.1:PORT, without token. */
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  /** Everything the daemon wrote to stderr (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A fresh, empty data directory; remove it with `removeDataDir`. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hearth-e2e-'));
}

export function removeDataDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** A port that was free a moment ago (for tests that restart the daemon on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the real CLI, `hearth daemon`, as a user would, and waits for its
 * "Hearth ready at …" line. Its stdout is a pipe, so that line has no token: the token comes
 * from the 0600 runtime file, as `hearth url` reads it. The renderer must already be built
 * into dist/renderer.
 */
export async function startDaemon(options: { dataDir: string; port?: number; timeoutMs?: number; simulator?: boolean; env?: Record<string, string>; args?: string[] }): Promise<DaemonHandle> {
  const args = [join(repoRoot, 'bin', 'hearth.mjs'), 'daemon', '--data-dir', options.dataDir, '--port', String(options.port ?? 0), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', HEARTH_SIMULATOR: options.simulator ? 'auto' : 'off', ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hearth daemon did not print its address within ${options.timeoutMs ?? 30_000} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Hearth ready at http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hearth daemon exited with code ${code} before it was ready.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  const info = await readRuntimeFile(options.dataDir);
  if (!info || info.port !== port) {
    child.kill('SIGKILL');
    throw new Error(`hearth daemon is ready on port ${port} but its runtime file says ${info ? `port ${info.port}` : 'nothing'}.\nstderr: ${stderr}`);
  }
  const token = info.token;
  const url = `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`;
  return {
    url,
    origin: `http://127.0.0.1:${port}`,
    port,
    token,
    dataDir: options.dataDir,
    log: () => stderr,
    stop: () => stopChild(child, 10_000),
  };
}

