import { execFile } from 'node:child_process';

export type CommandResult = { ok: true; stdout: string } | { ok: false; missing: boolean; reason: string };

/** Runs a tool by its argv with the given timeout; never throws, never uses a shell. */
export type RunCommand = (file: string, args: readonly string[], timeoutMs: number) => Promise<CommandResult>;

/** execFile with a timeout and a small output cap; "missing" is true when the tool is not installed. */
export const runCommand: RunCommand = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 256 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout: String(stdout) });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ ok: false, missing: true, reason: `${file} is not installed` });
      if ((error as { killed?: boolean }).killed) return resolve({ ok: false, missing: false, reason: `${file} did not answer within ${timeoutMs} ms` });
      const detail = String(stderr).trim().split('\n')[0] || error.message;
      resolve({ ok: false, missing: false, reason: `${file} failed: ${detail.slice(0, 200)}` });
    });
  });
