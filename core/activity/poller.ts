import type { Clock, TimerHandle } from '../ports.ts';

/** What a probe may report: 'unavailable' when the thing it reads is not there (no tool, no session, no file). */
export type ProbeResult = void | 'unavailable';

/** Between looks for something that was not there: it rarely appears while Hearth runs, and looking costs CPU at rest. */
export const UNAVAILABLE_MS = 60_000;

/**
 * Calls an async probe again and again through the Clock, never overlapping two runs,
 * at a slow period normally and a fast one while urgent. Switching to urgent re-arms at once.
 * A probe that reports 'unavailable' is asked again only after `unavailableMs` (default
 * UNAVAILABLE_MS, never sooner than normalMs), urgent or not.
 */
export function createPoller(clock: Clock, probe: () => Promise<ProbeResult>, periods: { normalMs: number; urgentMs: number; unavailableMs?: number }) {
  let timer: TimerHandle | undefined;
  let running = false;
  let inFlight = false;
  let urgent = false;
  let missing = false;
  const arm = (delay: number): void => {
    if (!running) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => void tick(), delay);
  };
  const tick = async (): Promise<void> => {
    timer = undefined;
    if (!running || inFlight) return;
    inFlight = true;
    try {
      missing = (await probe()) === 'unavailable';
    } finally {
      inFlight = false;
      arm(missing ? Math.max(periods.unavailableMs ?? UNAVAILABLE_MS, periods.normalMs) : urgent ? periods.urgentMs : periods.normalMs);
    }
  };
  return {
    start(): void {
      if (running) return;
      running = true;
      arm(0);
    },
    stop(): void {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    setUrgent(next: boolean): void {
      if (next === urgent) return;
      urgent = next;
      if (urgent && !inFlight && !missing) arm(0);
    },
  };
}
