import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where Hearth's files are, for code that runs either from its TypeScript sources (a clone,
 * through tsx) or from the esbuild bundles in dist/ (the `hearth` command, the desktop app).
 * Both this file (core/app/) and every bundle (dist/daemon/hearth.mjs, dist/electron/main.cjs,
 * dist/worker/main.cjs, dist/requester/simulator.cjs) sit two folders under the root, so one
 * rule finds the root from either. `moduleUrl` is for tests.
 */
export function appRoot(moduleUrl: string = import.meta.url): string {
  return join(dirname(fileURLToPath(moduleUrl)), '..', '..');
}

/** True when this code is the TypeScript source itself (a bundle's URL ends in .mjs or .cjs). */
export function runsFromSources(moduleUrl: string = import.meta.url): boolean {
  return moduleUrl.endsWith('.ts');
}

/** A JavaScript child process to start: its module and the Node flags it needs. */
export interface ChildEntry {
  modulePath: string;
  execArgv: string[];
}

/**
 * A child's entry: from sources, `source` run through tsx (its loader resolved to an absolute
 * URL, so the child's cwd does not matter); from a bundle, the bundled `bundle`. Both paths are
 * relative to the root. A bundled parent never starts source children, even in a clone: what
 * runs is what was built together.
 */
export function childEntry(source: string, bundle: string, fromSources = runsFromSources(), root = appRoot()): ChildEntry {
  if (fromSources) return { modulePath: join(root, source), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { modulePath: join(root, bundle), execArgv: [] };
}
