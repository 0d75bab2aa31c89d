import { childEntry, type ChildEntry } from '../app/layout.ts';

/** What to start as the worker: a module path and the Node flags it needs. */
export type WorkerEntry = ChildEntry;

/**
 * Finds the worker entry: worker/main.ts through tsx when this code runs from sources, the
 * esbuild bundle dist/worker/main.cjs (`npm run build:worker`) when it runs bundled.
 * Shells may pass their entry explicitly instead (ports.workerEntry).
 */
export function defaultWorkerEntry(): WorkerEntry {
  return childEntry('worker/main.ts', 'dist/worker/main.cjs');
}
