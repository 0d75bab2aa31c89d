import type { Caller } from '../../common/ipc/caller.ts';
import { consoleEvents, type ConsoleOpened } from '../../common/ipc/groups/console.ts';
import { HearthError } from '../../common/errors.ts';
import type { Clock, Logger } from '../ports.ts';
import { openPtySession, type PtySession, type PtySessionOptions } from './pty-session.ts';
import type { ShellSpec } from './shell.ts';

/** A few terminals per window or tab is plenty; more is a runaway page. */
export const MAX_SESSIONS_PER_CLIENT = 4;
export const MAX_SESSIONS = 16;

export interface ConsoleSessionsOptions {
  clock: Clock;
  logger: Logger;
  /** What to run; decided here in core, never by the client. */
  shell(): Promise<ShellSpec>;
  /** node-pty's spawn, loaded when the first session opens. */
  loadSpawn(): Promise<PtySessionOptions['spawn']>;
  flow?: PtySessionOptions['flow'];
}

interface Entry {
  owner: string;
  session: PtySession;
  forgetCaller: () => void;
}

/**
 * Every open Console session, each owned by the client that opened it: only that client
 * hears its output and may type into, resize, ack or close it; all of them close when
 * that client goes away.
 */
export function createConsoleSessions(options: ConsoleSessionsOptions) {
  const { clock, logger } = options;
  const entries = new Map<string, Entry>();
  let nextId = 1;
  let stopped = false;

  const send = (caller: Caller, event: keyof typeof consoleEvents, payload: unknown): void => {
    const parsed = consoleEvents[event].safeParse(payload);
    if (!parsed.success) {
      logger.error('console produced an invalid event', { event });
      return;
    }
    caller.send(event, parsed.data);
  };

  const owned = (caller: Caller | undefined, id: string): Entry => {
    const entry = entries.get(id);
    // Another client's session answers exactly like one that does not exist.
    if (!caller || !entry || entry.owner !== caller.id) {
      throw new HearthError('console_not_found', `There is no open console session "${id}" here. Start a new session.`);
    }
    return entry;
  };

  const forget = (id: string): Entry | undefined => {
    const entry = entries.get(id);
    if (!entry) return undefined;
    entries.delete(id);
    entry.forgetCaller();
    return entry;
  };

  return {
    async open(caller: Caller | undefined, cols: number, rows: number): Promise<ConsoleOpened> {
      if (!caller) throw new HearthError('console_no_client', 'The console needs a connected Hearth window or browser tab.');
      if (stopped) throw new HearthError('console_unavailable', 'Hearth is shutting down.');
      const mine = [...entries.values()].filter((entry) => entry.owner === caller.id).length;
      if (mine >= MAX_SESSIONS_PER_CLIENT) {
        throw new HearthError('console_limit', `This window already has ${mine} console sessions open. Close one before starting another.`);
      }
      if (entries.size >= MAX_SESSIONS) {
        throw new HearthError('console_limit', `Hearth already runs ${entries.size} console sessions. Close some (in any window) before starting another.`);
      }
      let spawn: PtySessionOptions['spawn'];
      try {
        spawn = await options.loadSpawn();
      } catch (error) {
        logger.error('node-pty failed to load', { error: String(error) });
        throw new HearthError('console_unavailable', 'The terminal component (node-pty) is missing or broken in this install. Reinstall Hearth.');
      }
      const spec = await options.shell();
      const id = `c${nextId++}`;
      let session: PtySession;
      try {
        session = openPtySession({
          spec,
          cols,
          rows,
          clock,
          spawn,
          ...(options.flow ? { flow: options.flow } : {}),
          onData: (seq, data) => send(caller, 'console:data', { id, seq, data }),
          onExit: (code, signal) => {
            forget(id);
            send(caller, 'console:exit', { id, code, signal });
          },
        });
      } catch (error) {
        throw new HearthError('console_unavailable', `Hearth could not start ${spec.file}: ${error instanceof Error ? error.message : String(error)}. Set SHELL to a shell that exists.`);
      }
      if (stopped) {
        await session.close();
        throw new HearthError('console_unavailable', 'Hearth is shutting down.');
      }
      const entry: Entry = { owner: caller.id, session, forgetCaller: () => undefined };
      entries.set(id, entry);
      // Registered after the entry exists: a client that already left closes it at once.
      entry.forgetCaller = caller.onClose(() => void forget(id)?.session.close());
      logger.info('console session opened', { id, client: caller.id, shell: spec.file, pid: session.pid });
      return { id, shell: spec.file, cwd: spec.cwd, hearth: spec.hearth };
    },
    input(caller: Caller | undefined, id: string, data: string): void {
      owned(caller, id).session.write(data);
    },
    resize(caller: Caller | undefined, id: string, cols: number, rows: number): void {
      owned(caller, id).session.resize(cols, rows);
    },
    ack(caller: Caller | undefined, id: string, seq: number): void {
      if (!owned(caller, id).session.ack(seq)) {
        throw new HearthError('bad_input', `console:ack names batch ${seq} of "${id}", which was not sent yet.`);
      }
    },
    async close(caller: Caller | undefined, id: string): Promise<void> {
      owned(caller, id);
      await forget(id)?.session.close();
    },
    /** Open sessions (for tests and the log). */
    count: (): number => entries.size,
    stats: (id: string) => entries.get(id)?.session.stats(),
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all([...entries.keys()].map((id) => forget(id)?.session.close() ?? Promise.resolve()));
    },
  };
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;
