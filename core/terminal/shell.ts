import { existsSync } from 'node:fs';

/** What the Console runs: decided by core alone, never by a client. */
export interface ShellSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Whether this install's `hearth` command is first on the shell's PATH. */
  hearth: boolean;
}

/** The user's shell: $SHELL (else bash, else sh) on Unix; %COMSPEC% (else PowerShell) on Windows. */
export function userShell(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, exists: (path: string) => boolean = existsSync): { file: string; args: string[] } {
  if (platform === 'win32') return { file: env['COMSPEC'] || 'powershell.exe', args: [] };
  const chosen = env['SHELL'];
  if (chosen && chosen.startsWith('/') && exists(chosen)) return { file: chosen, args: [] };
  return { file: exists('/bin/bash') ? '/bin/bash' : '/bin/sh', args: [] };
}

/** Keys of the parent's environment the shell must not inherit. */
const DROPPED = ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS'];

/**
 * The shell for the Console: the user's shell in Hearth's data folder, with `hearth` on
 * the PATH (the launcher folder first) and HEARTH_DATA_DIR naming this profile.
 */
export function consoleShell(options: { dataDir: string; launcherDir: string | null; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): ShellSpec {
  const parent = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) if (value !== undefined && !DROPPED.includes(key)) env[key] = value;
  // Windows spells it Path; keep whatever key the parent used.
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  const path = env[pathKey] ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  if (options.launcherDir) env[pathKey] = path ? `${options.launcherDir}${delimiter}${path}` : options.launcherDir;
  env['HEARTH_DATA_DIR'] = options.dataDir;
  env['TERM'] = 'xterm-256color';
  env['COLORTERM'] = 'truecolor';
  env['TERM_PROGRAM'] = 'Hearth';
  return { ...userShell(parent, platform), cwd: options.dataDir, env, hearth: options.launcherDir !== null };
}
