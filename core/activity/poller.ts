import type { Clock, TimerHandle } from '../ports.ts';

/**
 * Calls an async probe again and again through the Clock, never overlapping two runs,
 * at a slow period normally and a fast one while urgent. Switching to urgent re-arms at once.
 */
export function createPoller(clock: Clock, probe: () => Promise<void>, periods: { normalMs: number; urgentMs: number }) {
  let timer: TimerHandle | undefined;
  let running = false;
  let inFlight = false;
  let urgent = false;
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
      await probe();
    } finally {
      inFlight = false;
      arm(urgent ? periods.urgentMs : periods.normalMs);
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
      if (urgent && !inFlight) arm(0);
    },
  };
}
