import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkLauncher, systemClock } from '../node-ports.ts';
import type { Logger } from '../ports.ts';
import { buildAffineModel } from '../models/onnx-builder.ts';
import { createModelStore } from '../models/store.ts';
import { createWorkerSupervisor, type SupervisorOptions } from './supervisor.ts';
import { defaultWorkerEntry } from './entry.ts';

/** A logger that keeps entries for assertions instead of printing them. */
export function memoryLogger(): Logger & { entries: { level: string; message: string }[] } {
  const entries: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void entries.push({ level, message });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function tempDir(prefix = 'hearth-worker-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A supervisor over the real forked worker (or the faulty fixture), in a fresh temp folder. */
export function realSupervisor(overrides: Partial<SupervisorOptions> & { fixture?: boolean } = {}) {
  const dir = tempDir();
  const entry = overrides.fixture
    ? { modulePath: fileURLToPath(new URL('./fixtures/faulty-worker.ts', import.meta.url)), execArgv: defaultWorkerEntry().execArgv }
    : defaultWorkerEntry();
  const supervisor = createWorkerSupervisor({
    launcher: forkLauncher,
    clock: systemClock,
    logger: memoryLogger(),
    workDir: join(dir, 'work'),
    // Tests write their models into the temp folder itself.
    modelPaths: [dir],
    entry,
    restart: { baseMs: 50, maxMs: 400 },
    ...overrides,
  });
  const store = createModelStore({ cacheDir: join(dir, 'cache') });
  return { supervisor, store, dir };
}

/** Writes the generated affine model into `dir` and returns its path. */
export function writeAffineModel(dir: string): string {
  const path = join(dir, 'affine.onnx');
  writeFileSync(path, buildAffineModel());
  return path;
}
