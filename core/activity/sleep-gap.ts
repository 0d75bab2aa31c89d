import type { Clock, TimerHandle } from '../ports.ts';
import type { ActivityListener, SignalSource } from './types.ts';

export interface SleepGapOptions {
  clock: Clock;
  /** A clock that stops while the machine sleeps (CLOCK_MONOTONIC on Linux): performance.now by default. */
  monotonicNow?: () => number;
  periodMs?: number;
  /** Wall time that may pass beyond monotonic time before it counts as a sleep. */
  slackMs?: number;
}

/**
 * Headless shells get no suspend notice, but the wall clock runs on while the monotonic
 * clock stands still during sleep. A gap between the two means the machine slept: this
 * emits suspend + resume after the fact, so the scheduler treats the wake-up as activity.
 */
export function createSleepGapSource(options: SleepGapOptions): SignalSource<'sleep'> {
  const { clock } = options;
  const mono = options.monotonicNow ?? (() => performance.now());
  const periodMs = options.periodMs ?? 2000;
  const slackMs = options.slackMs ?? 5000;
  let timer: TimerHandle | undefined;
  let lastWall = 0;
  let lastMono = 0;
  return {
    signal: 'sleep',
    read: () => ({ available: true, via: 'clock gap (noticed on waking)', value: { asleep: false } }),
    start(emit: ActivityListener) {
      lastWall = clock.now();
      lastMono = mono();
      timer = clock.setInterval(() => {
        const wall = clock.now();
        const m = mono();
        const gap = wall - lastWall - (m - lastMono);
        lastWall = wall;
        lastMono = m;
        if (gap > slackMs) {
          emit({ kind: 'suspend' });
          emit({ kind: 'resume' });
        }
      }, periodMs);
    },
    stop() {
      if (timer !== undefined) clock.clearInterval(timer);
      timer = undefined;
    },
  };
}
