/**
 * Finds vendor tools without running them. HEARTH_NVIDIA_SMI / HEARTH_ROCM_SMI override
 * PATH (e2e tests point the daemon at a fake; users with odd installs can too).
 */
import { access, constants, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type LocateEnv = {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
};

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return false;
    if (platform === 'win32') return true;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, { env, platform }: LocateEnv): Promise<string | null> {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter(Boolean);
  const exts = platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext.toLowerCase());
      if (await isExecutable(candidate, platform)) return candidate;
    }
  }
  return null;
}

/** Newest nvidia-smi.exe in the Windows driver store (where recent drivers put it). */
async function windowsDriverStore(winDir: string): Promise<string | null> {
  const base = path.join(winDir, 'System32', 'DriverStore', 'FileRepository');
  let newest: { file: string; at: number } | null = null;
  try {
    for (const d of await readdir(base, { withFileTypes: true })) {
      if (!d.isDirectory() || !d.name.toLowerCase().startsWith('nv')) continue;
      const file = path.join(base, d.name, 'nvidia-smi.exe');
      try {
        const s = await stat(file);
        if (!newest || s.ctimeMs > newest.at) newest = { file, at: s.ctimeMs };
      } catch {
        // not in this folder
      }
    }
  } catch {
    return null;
  }
  return newest?.file ?? null;
}

/**
 * Path of nvidia-smi to use, or null when there is none. HEARTH_NVIDIA_SMI wins;
 * the value "none" disables NVIDIA detection (a way out when the driver hangs every call).
 */
export async function locateNvidiaSmi(le: LocateEnv = { env: process.env, platform: process.platform }): Promise<string | null> {
  const override = le.env['HEARTH_NVIDIA_SMI']?.trim();
  if (override) return override.toLowerCase() === 'none' ? null : override;
  const found = await onPath('nvidia-smi', le);
  if (found) return found;
  const candidates: string[] = [];
  if (le.platform === 'win32') {
    const winDir = le.env['WINDIR'] ?? le.env['SystemRoot'] ?? 'C:\\Windows';
    candidates.push(path.join(winDir, 'System32', 'nvidia-smi.exe'));
    const pf = le.env['ProgramFiles'] ?? 'C:\\Program Files';
    candidates.push(path.join(pf, 'NVIDIA Corporation', 'NVSMI', 'nvidia-smi.exe'));
    for (const c of candidates) if (await isExecutable(c, le.platform)) return c;
    return windowsDriverStore(winDir);
  }
  if (le.platform === 'linux') candidates.push('/usr/bin/nvidia-smi', '/usr/local/nvidia/bin/nvidia-smi', '/usr/lib/wsl/lib/nvidia-smi');
  for (const c of candidates) if (await isExecutable(c, le.platform)) return c;
  return null;
}

/** Path of rocm-smi, or null. HEARTH_ROCM_SMI overrides ("none" disables). */
export async function locateRocmSmi(le: LocateEnv = { env: process.env, platform: process.platform }): Promise<string | null> {
  const override = le.env['HEARTH_ROCM_SMI']?.trim();
  if (override) return override.toLowerCase() === 'none' ? null : override;
  if (le.platform !== 'linux') return null;
  const found = await onPath('rocm-smi', le);
  if (found) return found;
  for (const c of ['/opt/rocm/bin/rocm-smi', '/usr/bin/rocm-smi']) if (await isExecutable(c, le.platform)) return c;
  return null;
}
