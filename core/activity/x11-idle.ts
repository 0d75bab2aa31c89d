import type { Clock } from '../ports.ts';
import { createPoller, type ProbeResult } from './poller.ts';
import type { RunCommand } from './run-command.ts';
import { unavailable, type SignalReading, type SignalSource } from './types.ts';

export interface X11IdleOptions {
  clock: Clock;
  run: RunCommand;
  /** The DISPLAY variable; without one there is no X server to ask. */
  display: string | undefined;
  normalMs?: number;
  urgentMs?: number;
}

/**
 * Input idle time from the X11 screensaver extension through `xprintidle` (Debian package
 * "xprintidle"). Optional: when it is missing the source says so and how to add it.
 */
export function createX11IdleSource(options: X11IdleOptions): SignalSource<'input'> {
  const { clock, run } = options;
  const normalMs = options.normalMs ?? 2000;
  const urgentMs = options.urgentMs ?? 150;
  let reading: SignalReading<{ idleSeconds: number }> = options.display
    ? unavailable('Checking the X11 screensaver idle time…')
    : unavailable('No X11 display (DISPLAY is not set).');
  let readAt = clock.now();
  let lastIdleMs: number | null = null;
  let emit: ((e: { kind: 'input' } | { kind: 'changed' }) => void) | undefined;
  let period = normalMs;

  const probe = async (): Promise<ProbeResult> => {
    const result = await run('xprintidle', [], 1000);
    const wasAvailable = reading.available;
    if (!result.ok) {
      lastIdleMs = null;
      reading = unavailable(
        result.missing ? 'xprintidle is not installed (on Debian/Ubuntu: sudo apt install xprintidle).' : `X11 idle time unreadable: ${result.reason.replace(/\.+$/, '')}.`,
      );
    } else {
      const ms = Number(result.stdout.trim());
      if (!Number.isFinite(ms) || ms < 0) {
        reading = unavailable(`xprintidle printed something unexpected (${JSON.stringify(result.stdout.trim().slice(0, 40))}).`);
      } else {
        // Idle going down means someone touched the keyboard or mouse since the last look.
        const sawInput = lastIdleMs !== null && ms < lastIdleMs;
        lastIdleMs = ms;
        readAt = clock.now();
        reading = { available: true, via: 'X11 screensaver (xprintidle)', value: { idleSeconds: ms / 1000 } };
        if (sawInput) emit?.({ kind: 'input' });
      }
    }
    if (wasAvailable !== reading.available) emit?.({ kind: 'changed' });
    return !result.ok && result.missing ? 'unavailable' : undefined;
  };
  const poller = createPoller(clock, probe, { normalMs, urgentMs });

  return {
    signal: 'input',
    read() {
      if (!reading.available) return reading;
      // Extrapolate between looks, but never by more than two periods: a wall-clock jump must not invent idle time.
      const since = Math.min(Math.max(0, clock.now() - readAt), 2 * Math.max(period, normalMs));
      return { ...reading, value: { idleSeconds: reading.value.idleSeconds + since / 1000 } };
    },
    start(listener) {
      if (!options.display) return;
      emit = listener;
      poller.start();
    },
    stop() {
      emit = undefined;
      poller.stop();
    },
    setUrgent(urgent) {
      period = urgent ? urgentMs : normalMs;
      poller.setUrgent(urgent);
    },
  };
}
