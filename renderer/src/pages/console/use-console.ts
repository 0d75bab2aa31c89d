import { useCallback, useEffect, useRef, useState } from 'react';
import { CONSOLE_LIMITS, type ConsoleOpened } from '../../../../common/ipc/groups/console.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { toCallError, type CallError } from '../../state/store.ts';
import type { TerminalScreen, TerminalSize } from './terminal.ts';

/** What the Console page shows. */
export type ConsoleView =
  | { kind: 'starting' }
  | { kind: 'running'; session: ConsoleOpened }
  | { kind: 'exited'; session: ConsoleOpened; code: number | null; signal: number | null }
  /** The connection dropped; core ended the session with it. */
  | { kind: 'lost' }
  /** Core refused: `console_disabled` (a daemon without --console), a limit, a broken install. */
  | { kind: 'refused'; error: CallError };

/** Output that arrives before console:open has answered is kept (briefly) for its session. */
const EARLY_LIMIT = 64;

/**
 * One Console session for the page: opens it when the page is shown and connected,
 * feeds its output to the terminal and acks each batch once xterm has drawn it (so
 * core sends more only as fast as the page can draw), and sends keystrokes and sizes.
 */
export function useConsole(screen: () => TerminalScreen | null, ready: boolean) {
  const client = useClient();
  const connected = useHearth((state) => state.connection === 'connected');
  const [view, setView] = useState<ConsoleView>({ kind: 'starting' });
  const session = useRef<string | null>(null);
  const early = useRef<{ id: string; seq: number; data: string }[]>([]);
  const started = useRef(false);
  const alive = useRef(true);

  const ack = useCallback(
    (id: string, seq: number) => {
      // A refused ack means the session is gone; its exit (or the lost connection) says so.
      client.call('console:ack', { id, seq }).catch(() => undefined);
    },
    [client],
  );

  const draw = useCallback(
    (id: string, seq: number, data: string) => {
      const target = screen();
      if (!target) return;
      target.write(data, () => ack(id, seq));
    },
    [screen, ack],
  );

  const start = useCallback(() => {
    const target = screen();
    if (!target) return;
    started.current = true;
    session.current = null;
    early.current = [];
    target.reset();
    setView({ kind: 'starting' });
    client.call('console:open', target.size()).then(
      (opened) => {
        if (!alive.current) {
          // The page was left while the shell started: do not leave it running.
          client.call('console:close', { id: opened.id }).catch(() => undefined);
          return;
        }
        session.current = opened.id;
        setView({ kind: 'running', session: opened });
        const waiting = early.current.filter((batch) => batch.id === opened.id);
        early.current = [];
        for (const batch of waiting) draw(batch.id, batch.seq, batch.data);
        screen()?.focus();
      },
      (error: unknown) => setView({ kind: 'refused', error: toCallError(error) }),
    );
  }, [client, screen, draw]);

  useEffect(
    () =>
      client.on('console:data', ({ id, seq, data }) => {
        if (id === session.current) draw(id, seq, data);
        else if (session.current === null && early.current.length < EARLY_LIMIT) early.current.push({ id, seq, data });
      }),
    [client, draw],
  );

  useEffect(
    () =>
      client.on('console:exit', ({ id, code, signal }) => {
        if (id !== session.current) return;
        session.current = null;
        screen()?.note(signal === null ? `[The shell ended with exit code ${code ?? 0}.]` : `[The shell was stopped by signal ${signal}.]`);
        setView((current) => (current.kind === 'running' ? { kind: 'exited', session: current.session, code, signal } : current));
      }),
    [client, screen],
  );

  // Start once connected; a dropped connection ends the session (core closes it with the socket).
  useEffect(() => {
    if (connected && ready && !started.current) start();
    if (!connected && started.current && session.current !== null) {
      session.current = null;
      setView({ kind: 'lost' });
    }
  }, [connected, ready, start]);

  // Leaving the page or the window closes the shell rather than leaving it to the next visit.
  useEffect(() => {
    alive.current = true;
    const close = (): void => {
      const id = session.current;
      session.current = null;
      if (id) client.call('console:close', { id }).catch(() => undefined);
    };
    window.addEventListener('pagehide', close);
    return () => {
      window.removeEventListener('pagehide', close);
      alive.current = false;
      close();
    };
  }, [client]);

  const input = useCallback(
    (data: string) => {
      const id = session.current;
      if (!id) return;
      // A paste larger than one message goes in pieces, in order.
      void (async () => {
        for (let at = 0; at < data.length; at += CONSOLE_LIMITS.maxInput) {
          await client.call('console:input', { id, data: data.slice(at, at + CONSOLE_LIMITS.maxInput) }).catch(() => undefined);
        }
      })();
    },
    [client],
  );

  const resize = useCallback(
    (size: TerminalSize) => {
      const id = session.current;
      if (id) client.call('console:resize', { id, ...size }).catch(() => undefined);
    },
    [client],
  );

  return { view, start, input, resize, connected };
}
