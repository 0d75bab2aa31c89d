import { childEntry, type ChildEntry } from '../app/layout.ts';

/** What to start as the worker: a module path and the Node flags it needs. */
export type WorkerEntry = ChildEntry;

/**
 * Finds the worker entry: worker/main.ts when this code runs from sources, the esbuild bundle
 * dist/worker/main.cjs (`npm run build:worker`) when it runs bundled. Shells may pass their
 * entry explicitly instead (ports.workerEntry).
 *
 * From sources the worker's TypeScript is run by Node's own type stripping, not tsx: tsx
 * compiles through esbuild, which needs a child process and a worker thread, and the worker's
 * permission model allows neither.
 */
export function defaultWorkerEntry(): WorkerEntry {
  const entry = childEntry('worker/main.ts', 'dist/worker/main.cjs');
  if (!entry.modulePath.endsWith('.ts')) return entry;
  const strips = Boolean((process.features as { typescript?: unknown }).typescript);
  return { modulePath: entry.modulePath, execArgv: strips ? [] : ['--experimental-strip-types'] };
}
