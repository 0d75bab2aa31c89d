/** A manual clock for tests: time moves only when the test calls advance(). */
import type { TimerHandle } from '../../ports.ts';

type Timer = { id: number; at: number; fn: () => void };

export type FakeClock = {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle): void;
  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  advance(ms: number): Promise<void>;
  pending(): number;
};

/** Lets queued promise callbacks (and I/O-free async chains) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  let nextId = 1;
  const timers: Timer[] = [];
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const timer = { id: nextId++, at: t + Math.max(0, ms), fn };
      timers.push(timer);
      return { id: timer.id };
    },
    clearTimeout(h) {
      const id = (h as { id: number }).id;
      const i = timers.findIndex((x) => x.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    async advance(ms) {
      const end = t + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.id - b.id);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        t = next.at;
        next.fn();
        await flush();
      }
      t = end;
      await flush();
    },
    pending: () => timers.length,
  };
}
