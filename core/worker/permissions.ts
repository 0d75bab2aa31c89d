import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HearthError } from '../../common/errors.ts';
import { appRoot } from '../app/layout.ts';

/**
 * What the worker process may touch under Node's permission model. Everything else is
 * refused with ERR_ACCESS_DENIED: the data folder (runtime token, keystore, settings,
 * ledger), the rest of the disk, child processes and worker threads.
 */
export interface WorkerPermissions {
  /** Files and folders (with everything below them) the worker may read. */
  read: string[];
  /** Folders the worker may write (and read): its own scratch folders only. */
  write: string[];
}

/**
 * The Node flags for `permissions`. Paths must be absolute (Node would resolve a relative
 * one against the child's cwd) and may not contain `*`, which Node reads as a wildcard.
 * Addons are allowed because onnxruntime-node is one; no --allow-child-process, no
 * --allow-worker, no --allow-wasi, no --allow-inspector.
 */
export function workerPermissionArgs(permissions: WorkerPermissions): string[] {
  const check = (path: string): string => {
    if (!isAbsolute(path)) throw new HearthError('worker_sandbox_path', `The worker's permission path "${path}" is not absolute.`);
    if (path.includes('*')) throw new HearthError('worker_sandbox_path', `The worker cannot be confined to "${path}": Node reads "*" in a permission path as a wildcard. Use a folder without "*" in its name.`);
    return path;
  };
  const write = unique(permissions.write.map(check));
  const read = unique([...permissions.read.map(check), ...write]);
  return [
    '--permission',
    '--allow-addons',
    // Node warns on every start that an addon could undo the model; that is known and
    // written down (docs/electron-security.md, "Worker sandbox"), not news for each log.
    '--disable-warning=PERM0001',
    ...read.map((path) => `--allow-fs-read=${path}`),
    ...write.map((path) => `--allow-fs-write=${path}`),
  ];
}

export interface SandboxInput {
  /** The worker's module: its folder is readable (from sources, worker/ and common/ too). */
  modulePath: string;
  /** Model files and folders the worker loads from (the model cache, packaged models, files given by path). */
  modelPaths: string[];
  /** The worker's own folders: its cwd and the tensor exchange folder. */
  scratch: string[];
}

/**
 * The grant for one worker launch: its code, the installed packages it loads (onnxruntime-node
 * and its neighbours in node_modules), the models, and its scratch folders to write. Each path
 * that is reached through a symlink is granted under its real path too, because Node checks the
 * path it is handed and module loading hands it real paths.
 */
export function workerSandbox(input: SandboxInput): WorkerPermissions {
  const code = [dirname(input.modulePath)];
  if (input.modulePath.endsWith('.ts')) {
    // From sources, Node strips the types itself: it reads the worker's imports from common/
    // and the package.json that says these files are ES modules. The rest of the checkout
    // (scripts, tests, a .env someone left there) stays out.
    const root = appRoot();
    code.push(join(root, 'worker'), join(root, 'common'), join(root, 'package.json'));
  }
  const packages = packagesDir(input.modulePath);
  return {
    read: withRealPaths([...code, ...(packages ? [packages] : []), ...input.modelPaths]),
    write: withRealPaths(input.scratch),
  };
}

/** True when `path` is one of `roots` or inside one of them (no `..` games: paths are compared as given). */
export function isWithin(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
  });
}

/**
 * The node_modules folder the worker loads onnxruntime-node from, found the way require() walks
 * (by the path as written: Node reads a package's package.json there before following links).
 */
function packagesDir(modulePath: string): string | undefined {
  for (const from of [modulePath, fileURLToPath(import.meta.url)]) {
    for (const base of createRequire(from).resolve.paths('onnxruntime-node') ?? []) {
      if (existsSync(join(base, 'onnxruntime-node', 'package.json'))) return base;
    }
  }
  return undefined;
}

function withRealPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    out.push(path);
    if (!existsSync(path)) continue;
    const real = realpathSync(path);
    if (real !== path) out.push(real);
  }
  return unique(out);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
