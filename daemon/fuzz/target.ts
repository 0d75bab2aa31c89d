import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stopChild, tempDir, waitFor } from '../../core/test-support.ts';
import { readRuntimeFile } from '../runtime-file.ts';
import { repoRoot } from '../daemon.ts';

/** A text no response may ever contain: it sits beside the renderer folder, outside what is served. */
export const SECRET_MARKER = 'hearth-fuzz-secret-outside-the-renderer';

/** A real daemon the fuzzers attack: started in a temp data folder, no local chain, no simulator. */
export interface FuzzTarget {
  port: number;
  token: string;
  pid: number;
  dataDir: string;
  /** Null while it runs; how it ended otherwise. */
  exited(): string | null;
  /** The daemon's memory in MB after a full collection: resident set and V8 heap in use (NaN once it has ended). */
  memoryMb(): Promise<{ rss: number; heap: number }>;
  /** The last lines the daemon logged, for failure reports. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const { dir, cleanup } = await tempDir('hearth-fuzz-');
  const dataDir = join(dir, 'data');
  const rendererDir = join(dir, 'renderer');
  const memoryFile = join(dir, 'memory.json');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("hearth");');
  await writeFile(join(dir, 'secret.txt'), SECRET_MARKER);
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(repoRoot, 'daemon', 'fuzz', 'daemon-child.ts'), dataDir, rendererDir, memoryFile],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, HEARTH_DEVNET: 'off', HEARTH_SIMULATOR: 'off', HEARTH_TEST_HOOKS: '', FORCE_COLOR: '0' },
    },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    // Keep the tail only: the frame fuzzer makes the daemon log one warning per bad socket.
    log = (log + chunk.toString('utf8')).slice(-64 * 1024);
  });
  let ended: string | null = null;
  child.once('exit', (code, signal) => {
    ended = `exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
  });
  const tail = (lines = 30): string => log.split('\n').slice(-lines).join('\n');
  const info = await waitFor(
    async () => {
      if (ended) throw new Error(`the daemon ended before it was ready (${ended})`);
      return (await readRuntimeFile(dataDir)) ?? undefined;
    },
    'the fuzz daemon to write its runtime file',
    60_000,
    () => tail(),
  ).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await cleanup();
    throw error;
  });
  return {
    port: info.port,
    token: info.token,
    pid: child.pid!,
    dataDir,
    exited: () => ended,
    async memoryMb() {
      if (ended) return { rss: NaN, heap: NaN };
      await rm(memoryFile, { force: true });
      child.kill('SIGUSR2');
      const usage = await waitFor(
        async () => JSON.parse(await readFile(memoryFile, 'utf8')) as { rss: number; heapUsed: number },
        'the daemon to report its memory',
        10_000,
      ).catch(() => null);
      return usage ? { rss: usage.rss / 2 ** 20, heap: usage.heapUsed / 2 ** 20 } : { rss: NaN, heap: NaN };
    },
    logTail: tail,
    async stop() {
      await stopChild(child, 10_000);
      await cleanup();
    },
  };
}
