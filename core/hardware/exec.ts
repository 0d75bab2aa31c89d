/**
 * Runs a vendor tool asynchronously with a hard timeout. A hung GPU driver can leave
 * nvidia-smi stuck in the kernel for minutes; Hearth must stay responsive, so on timeout
 * we kill the whole process group and resolve at once, without waiting for it to exit.
 */
import { spawn } from 'node:child_process';
import { HearthError } from '../../common/errors.ts';
import type { HardwareClock } from './clock.ts';

export type ExecFailure = 'absent' | 'timeout' | 'exit' | 'too-large' | 'spawn';

/** Error from running a tool; `code` is stable, `message` is a sentence a user can act on. */
export class ToolError extends HearthError {
  declare readonly code: ExecFailure;
  readonly stderr: string;
  readonly exitCode: number | null;
  constructor(code: ExecFailure, message: string, stderr = '', exitCode: number | null = null) {
    super(code, message);
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

export type ExecOptions = {
  clock: HardwareClock;
  timeoutMs: number;
  /** Output cap: a tool printing endlessly is as bad as one that hangs. */
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
};

export type ExecResult = { stdout: string; stderr: string; durationMs: number };

/** The function type the probes use, so tests and benches can swap it. */
export type RunTool = (file: string, args: readonly string[]) => Promise<ExecResult>;

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // Negative pid: the whole group (we spawn detached on POSIX), so shell wrappers' children die too.
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).unref();
    else process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs `file args` and resolves with its output, or rejects with a ToolError. Never hangs past the timeout. */
export function execTool(file: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const { clock, timeoutMs } = opts;
  const maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
  const started = clock.now();
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    // Set once below; read by finish(), which only runs from callbacks that fire after it is set.
  const timerRef: { handle?: ReturnType<HardwareClock['setTimeout']> } = {};
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timerRef.handle !== undefined) clock.clearTimeout(timerRef.handle);
      fn();
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, [...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
        env: opts.env ?? process.env,
      });
    } catch (e) {
      reject(new ToolError('spawn', `Could not start ${file}: ${(e as Error).message}`));
      return;
    }
    const abandon = () => {
      killTree(child.pid);
      // A process stuck in the kernel may ignore SIGKILL for a while: stop listening and let it go.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    };
    timerRef.handle = clock.setTimeout(() => {
      finish(() => {
        abandon();
        reject(new ToolError('timeout', `${file} did not answer within ${Math.round(timeoutMs / 1000)} s; the GPU driver may be hung. Restarting the computer usually clears it.`));
      });
    }, timeoutMs);
    const onData = (bucket: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish(() => {
          abandon();
          reject(new ToolError('too-large', `${file} printed more than ${maxBytes} bytes; its output was ignored.`));
        });
        return;
      }
      bucket.push(chunk);
    };
    child.stdout?.on('data', onData(out));
    child.stderr?.on('data', onData(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() => {
        if (e.code === 'ENOENT') reject(new ToolError('absent', `${file} was not found.`));
        else reject(new ToolError('spawn', `Could not start ${file}: ${e.message}`));
      });
    });
    child.on('close', (code, signal) => {
      finish(() => {
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) resolve({ stdout, stderr, durationMs: clock.now() - started });
        else {
          const detail = (stderr.trim() || stdout.trim()).split(/\r?\n/)[0]?.slice(0, 200) ?? '';
          reject(new ToolError('exit', `${file} failed (${signal ?? `exit code ${code}`})${detail ? `: ${detail}` : ''}.`, stderr, code));
        }
      });
    });
  });
}

/** A RunTool bound to a clock and timeout. */
export function createRunTool(opts: ExecOptions): RunTool {
  return (file, args) => execTool(file, args, opts);
}
