import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The files of a persistent devnet in its state folder. Anvil rewrites `state.json` in
 * place (not atomically), so a kill in the middle of a dump can leave it cut short; the
 * copy taken at the last successful start is the fallback then.
 */
export interface DevnetStateFiles {
  dir: string;
  /** Anvil's `--state` file. */
  state: string;
  /** The state file as of the last start Anvil accepted. */
  lastGood: string;
  /** Protocol addresses on this chain (deploymentSchema). */
  deployment: string;
}

export function devnetStateFiles(dir: string): DevnetStateFiles {
  return { dir, state: join(dir, 'state.json'), lastGood: join(dir, 'state.last-good.json'), deployment: join(dir, 'deployment.json') };
}

/** Creates the state folder, private to the user (it holds a whole chain, keys are public anyway). */
export async function ensureStateDir(files: DevnetStateFiles): Promise<void> {
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Before Anvil reads the state file: copies it aside so that, once Anvil has accepted it,
 * `commitCandidate` can make it the last good copy. Copying before the start avoids racing
 * with Anvil's first periodic dump. Returns whether there was a state file.
 */
export async function stageCandidate(files: DevnetStateFiles): Promise<boolean> {
  if (!(await exists(files.state))) return false;
  await copyFile(files.state, `${files.lastGood}.tmp`);
  return true;
}

/** Anvil started from the staged copy: it becomes the last good state. */
export async function commitCandidate(files: DevnetStateFiles): Promise<void> {
  await rename(`${files.lastGood}.tmp`, files.lastGood).catch(() => undefined);
}

/** Moves a state file Anvil refused to `state.json.corrupt-<time>`; returns the new path. */
export async function quarantineState(files: DevnetStateFiles, now: number): Promise<string | undefined> {
  await rm(`${files.lastGood}.tmp`, { force: true });
  if (!(await exists(files.state))) return undefined;
  const aside = `${files.state}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  await rename(files.state, aside);
  return aside;
}

/** Puts the last good copy back as the state file; false when there is none. */
export async function restoreLastGood(files: DevnetStateFiles): Promise<boolean> {
  if (!(await exists(files.lastGood))) return false;
  await copyFile(files.lastGood, files.state);
  return true;
}
