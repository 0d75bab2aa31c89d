import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, EmptyState, Notice, PageHeader, Spinner, StatusPill } from '../ui/index.ts';
import { ConsoleIcon, FolderIcon, LockIcon, RefreshIcon } from '../ui/icons.tsx';
import type { TerminalEvents, TerminalScreen } from './console/terminal.ts';
import { useConsole, type ConsoleView } from './console/use-console.ts';

/** The pill at the top of the terminal: one word for the session's state. */
function SessionPill({ view }: { view: ConsoleView }) {
  switch (view.kind) {
    case 'starting':
      return <StatusPill status="idle" pulse>Starting</StatusPill>;
    case 'running':
      return <StatusPill status="ok">Running</StatusPill>;
    case 'exited':
      return <StatusPill status={view.code === 0 ? 'idle' : 'warn'}>{view.signal === null ? `Exited (code ${view.code ?? 0})` : `Stopped (signal ${view.signal})`}</StatusPill>;
    case 'lost':
      return <StatusPill status="error">Disconnected</StatusPill>;
    case 'refused':
      return <StatusPill status="error">Not started</StatusPill>;
  }
}

/** Shown instead of the terminal when core says the console is off (a daemon without --console). */
function ConsoleOff() {
  return (
    <div className="console-off" data-testid="console-off">
      <EmptyState icon={<LockIcon size={28} />} title="The console is off for this daemon">
        <p>
          A console gives anyone with this daemon's address a shell on this machine, so a daemon keeps it off unless you ask for it. To use it, stop
          the daemon and start it again with:
        </p>
        <pre className="console-off__command">
          <code>hearth daemon --console</code>
        </pre>
        <p className="console-off__fine">The desktop app always has the console; only a daemon needs the flag.</p>
      </EmptyState>
    </div>
  );
}

/** Opens the terminal in its box; xterm is loaded only when the Console is first shown. */
export type ScreenFactory = (host: HTMLElement, events: TerminalEvents) => Promise<TerminalScreen>;

const openXterm: ScreenFactory = async (host, events) => (await import('./console/terminal.ts')).openTerminal(host, events);

export function ConsolePage({ openScreen = openXterm }: { openScreen?: ScreenFactory }) {
  const host = useRef<HTMLDivElement>(null);
  const screenRef = useRef<TerminalScreen | null>(null);
  const [ready, setReady] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const screen = useCallback(() => screenRef.current, []);
  const { view, start, input, resize, connected } = useConsole(screen, ready);
  // Handlers change identity as the session changes; the terminal reads the latest ones.
  const handlers = useRef({ input, resize });
  handlers.current = { input, resize };

  useEffect(() => {
    const box = host.current;
    if (!box) return undefined;
    let opened: TerminalScreen | null = null;
    let cancelled = false;
    openScreen(box, {
      onInput: (data) => handlers.current.input(data),
      onResize: (size) => handlers.current.resize(size),
    }).then(
      (made) => {
        if (cancelled) return made.dispose();
        opened = made;
        screenRef.current = made;
        setReady(true);
      },
      (error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      cancelled = true;
      screenRef.current = null;
      opened?.dispose();
    };
  }, [openScreen]);

  // The terminal must exist before the first session opens (its size goes with the request).
  const consoleOff = view.kind === 'refused' && view.error.code === 'console_disabled';
  const session = view.kind === 'running' || view.kind === 'exited' ? view.session : null;
  // Exited sessions offer the restart below their output; the header offers it otherwise.
  const canRestart = ready && connected && (view.kind === 'lost' || (view.kind === 'refused' && !consoleOff));

  return (
    <>
      <PageHeader
        title="Console"
        description={
          session?.hearth === false ? (
            <>
              A shell on this machine, opened in Hearth's data folder. Try <code>nvidia-smi</code>. The <code>hearth</code> command needs Node 22 or
              newer and a copy of Hearth from source; the installed app does not carry one.
            </>
          ) : (
            <>
              A shell on this machine, opened in Hearth's data folder, with <code>hearth</code> on the PATH. Try <code>hearth status</code>,{' '}
              <code>hearth devices</code> or <code>nvidia-smi</code>.
            </>
          )
        }
        actions={
          canRestart ? (
            <Button variant="primary" icon={<RefreshIcon />} onClick={start}>
              Start a new session
            </Button>
          ) : undefined
        }
      />
      {consoleOff && <ConsoleOff />}
      {loadError !== null && (
        <Notice tone="error" title="The terminal could not load">
          {loadError}. Reload the page; if it keeps happening, reinstall Hearth.
        </Notice>
      )}
      {view.kind === 'refused' && !consoleOff && (
        <Notice tone="error" title="The console could not start">
          {view.error.message}
        </Notice>
      )}
      {view.kind === 'lost' && (
        <Notice tone="warn" title="The connection to Hearth dropped">
          The shell ended with it. {connected ? 'Start a new session to continue.' : 'Hearth is reconnecting…'}
        </Notice>
      )}
      <section className="console" hidden={consoleOff} data-state={view.kind} aria-label="Terminal">
        <header className="console__bar">
          <span className="console__title">
            <ConsoleIcon size={16} />
            <span className="console__shell">{session ? session.shell : 'Shell'}</span>
          </span>
          {session && (
            <span className="console__cwd" title="The folder the shell started in">
              <FolderIcon size={14} />
              <span>{session.cwd}</span>
            </span>
          )}
          <SessionPill view={view} />
        </header>
        <div className="console__screen">
          <div className="console__xterm" ref={host} data-testid="console-terminal" />
          {view.kind === 'starting' && loadError === null && (
            <div className="console__overlay" role="status">
              <Spinner size={18} />
              <span>Starting your shell…</span>
            </div>
          )}
        </div>
        {view.kind === 'exited' && (
          <footer className="console__footer" role="status">
            <span>
              The shell ended{view.signal === null ? ` with exit code ${view.code ?? 0}` : ` (signal ${view.signal})`}. Its output stays above until you start a new
              session.
            </span>
            <Button size="sm" variant="primary" onClick={start} disabled={!connected}>
              Start a new session
            </Button>
          </footer>
        )}
      </section>
    </>
  );
}
