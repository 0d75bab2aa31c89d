import type { IPty, spawn as ptySpawn } from 'node-pty';
import type { Clock } from '../ports.ts';
import { createOutputFlow, type FlowStats } from './flow.ts';
import type { ShellSpec } from './shell.ts';

/** Batching and window sizes; see flow.ts. */
export const FLOW = { batchMs: 16, batchSize: 64 * 1024, window: 256 * 1024, maxBatchesInFlight: 64 } as const;

/** How long a closed shell gets to end after SIGHUP before it is killed outright. */
const KILL_GRACE_MS = 2000;

export interface PtySessionOptions {
  spec: ShellSpec;
  cols: number;
  rows: number;
  clock: Clock;
  /** One batch of output, in order. */
  onData(seq: number, data: string): void;
  /** The shell ended and all its output was sent. Not called after `close()`. */
  onExit(code: number | null, signal: number | null): void;
  flow?: Partial<typeof FLOW>;
  /** node-pty's spawn, loaded lazily (tests and the bench pass it in). */
  spawn: typeof ptySpawn;
}

export interface PtySession {
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** False when `seq` names a batch not sent yet. */
  ack(seq: number): boolean;
  /** Ends the shell (SIGHUP, then SIGKILL); resolves when it has gone. */
  close(): Promise<void>;
  stats(): FlowStats;
}

/** Starts one shell in a pseudo-terminal with its output flow-controlled. */
export function openPtySession(options: PtySessionOptions): PtySession {
  const { spec, clock } = options;
  const pty: IPty = options.spawn(spec.file, spec.args, {
    name: 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: spec.cwd,
    env: spec.env,
  });
  let closing = false;
  let exited = false;
  let exitWaiters: (() => void)[] = [];
  const flow = createOutputFlow({
    clock,
    ...FLOW,
    ...options.flow,
    send: (seq, data) => options.onData(seq, data),
    pause: () => pty.pause(),
    resume: () => pty.resume(),
  });
  const dataSub = pty.onData((chunk) => flow.push(chunk));
  const exitSub = pty.onExit(({ exitCode, signal }) => {
    exited = true;
    for (const wake of exitWaiters) wake();
    exitWaiters = [];
    if (closing) return;
    // Report the exit only after the last output: the client shows it below that output.
    flow.finish(() => options.onExit(signal ? null : exitCode, signal ? signal : null));
  });
  return {
    pid: pty.pid,
    write(data) {
      if (!closing && !exited) pty.write(data);
    },
    resize(cols, rows) {
      if (!closing && !exited) pty.resize(cols, rows);
    },
    ack: (seq) => flow.ack(seq),
    stats: () => flow.stats(),
    async close() {
      if (closing) return;
      closing = true;
      flow.dispose();
      dataSub.dispose();
      if (!exited) {
        await new Promise<void>((resolve) => {
          let giveUp: ReturnType<Clock['setTimeout']> | undefined;
          // SIGHUP first, as a closed terminal would; SIGKILL if it is ignored; stop waiting after that.
          const force = clock.setTimeout(() => {
            if (process.platform !== 'win32') pty.kill('SIGKILL');
            giveUp = clock.setTimeout(resolve, KILL_GRACE_MS);
          }, KILL_GRACE_MS);
          exitWaiters.push(() => {
            clock.clearTimeout(force);
            if (giveUp !== undefined) clock.clearTimeout(giveUp);
            resolve();
          });
          // A paused pty cannot see its child end (its read side is stopped): let it drain.
          pty.resume();
          pty.kill();
        });
      }
      exitSub.dispose();
    },
  };
}
