import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What to start as the worker: a module path and the Node flags it needs. */
export interface WorkerEntry {
  modulePath: string;
  execArgv: string[];
}

/**
 * Finds the worker entry. In a source checkout that is worker/main.ts run through tsx
 * (its loader resolved to an absolute URL, so the child's cwd does not matter); in a
 * packaged build it is the esbuild bundle dist/worker/main.cjs (`npm run build:worker`).
 * Shells whose code is bundled pass their entry explicitly instead.
 */
export function defaultWorkerEntry(root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')): WorkerEntry {
  const source = join(root, 'worker', 'main.ts');
  if (existsSync(source)) {
    return { modulePath: source, execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  return { modulePath: join(root, 'dist', 'worker', 'main.cjs'), execArgv: [] };
}
