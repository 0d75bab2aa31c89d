import type { Clock } from '../ports.ts';
import { createPoller, type ProbeResult } from './poller.ts';
import type { RunCommand } from './run-command.ts';
import { unavailable, type ActivityListener, type SignalReading, type SignalSource } from './types.ts';

export interface LogindHints {
  idle: boolean;
  /** Wall-clock ms when the session went idle (0 when logind does not know). */
  idleSinceMs: number;
  locked: boolean | null;
}

/** Parses `loginctl show-session … -p IdleHint -p IdleSinceHint -p LockedHint` output. */
export function parseLogindHints(stdout: string): LogindHints | null {
  const props = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const idle = props.get('IdleHint');
  if (idle !== 'yes' && idle !== 'no') return null;
  const since = Number(props.get('IdleSinceHint') ?? '0');
  const locked = props.get('LockedHint');
  return {
    idle: idle === 'yes',
    idleSinceMs: Number.isFinite(since) ? Math.floor(since / 1000) : 0,
    locked: locked === 'yes' ? true : locked === 'no' ? false : null,
  };
}

export interface LogindOptions {
  clock: Clock;
  run: RunCommand;
  /** XDG_SESSION_ID when set; otherwise logind's "auto" (the user's graphical session). */
  sessionId: string | undefined;
  normalMs?: number;
  urgentMs?: number;
}

/**
 * logind's IdleHint and LockedHint, asked through `loginctl` (async, 1 s timeout). IdleHint
 * is coarse: the desktop sets it after its own idle delay, so "not idle" reads as 0 s idle.
 * One poll feeds two sources (input and lock).
 */
export function createLogindSources(options: LogindOptions): { input: SignalSource<'input'>; lock: SignalSource<'lock'> } {
  const { clock, run } = options;
  let hints: LogindHints | null = null;
  let reason = 'Checking logind…';
  let emit: ActivityListener | undefined;
  let users = 0;
  const session = options.sessionId && /^[\w-]+$/.test(options.sessionId) ? options.sessionId : 'auto';

  const probe = async (): Promise<ProbeResult> => {
    const result = await run('loginctl', ['show-session', session, '-p', 'IdleHint', '-p', 'IdleSinceHint', '-p', 'LockedHint'], 1000);
    const before = hints;
    if (!result.ok) {
      hints = null;
      reason = result.missing ? 'loginctl is not available (no systemd-logind).' : `logind did not answer: ${result.reason.replace(/\.+$/, '')}.`;
    } else {
      hints = parseLogindHints(result.stdout);
      if (!hints) reason = 'logind gave no idle hint for this session.';
    }
    if ((before === null) !== (hints === null)) emit?.({ kind: 'changed' });
    if (before && hints) {
      if (before.idle && !hints.idle) emit?.({ kind: 'input' });
      if (before.locked !== true && hints.locked === true) emit?.({ kind: 'lock' });
      if (before.locked === true && hints.locked === false) emit?.({ kind: 'unlock' });
    }
    // No logind, or no session for this user (a server, a container): spawning loginctl every few seconds to hear that again is the daemon's main cost at rest.
    return hints === null ? 'unavailable' : undefined;
  };
  const poller = createPoller(clock, probe, { normalMs: options.normalMs ?? 3000, urgentMs: options.urgentMs ?? 250 });
  const start = (listener: ActivityListener): void => {
    emit = listener;
    if (users++ === 0) poller.start();
  };
  const stop = (): void => {
    if (users === 0) return;
    if (--users === 0) {
      poller.stop();
      emit = undefined;
    }
  };

  const input: SignalSource<'input'> = {
    signal: 'input',
    read(): SignalReading<{ idleSeconds: number }> {
      if (!hints) return unavailable(reason);
      const idleSeconds = hints.idle && hints.idleSinceMs > 0 ? Math.max(0, (clock.now() - hints.idleSinceMs) / 1000) : 0;
      return { available: true, via: 'logind IdleHint', value: { idleSeconds } };
    },
    start,
    stop,
    setUrgent: (urgent) => poller.setUrgent(urgent),
  };
  const lock: SignalSource<'lock'> = {
    signal: 'lock',
    read() {
      if (!hints) return unavailable(reason);
      if (hints.locked === null) return unavailable('logind does not report whether this session is locked.');
      return { available: true, via: 'logind LockedHint', value: { locked: hints.locked } };
    },
    start,
    stop,
  };
  return { input, lock };
}
