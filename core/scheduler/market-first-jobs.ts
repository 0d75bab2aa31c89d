/**
 * The scheduler's one job source, made of two: paid market work first, practice work only
 * when the market is not connected or has nothing. A practice job in progress ends early
 * when paid work turns up, so a job worth money never waits behind warm-up.
 */
import type { JobHandle, JobSource } from './jobs.ts';

export interface PaidSource {
  start(devices: readonly string[]): JobHandle | { none: string };
  /** True when a paid job could start now. */
  hasWork(): boolean;
  /** One sentence on the market's state, for the UI when no paid job is running. */
  describe(): string;
  /** False while the market is turned off or not connected. */
  active(): boolean;
}

/** Joins the market agent and the practice source into the scheduler's JobSource. */
export function createMarketFirstJobSource(paid: PaidSource, practice: JobSource & { yieldWhen?: (check: () => boolean) => void }): JobSource {
  let last: 'paid' | 'practice' = 'practice';
  practice.yieldWhen?.(() => paid.active() && paid.hasWork());
  return {
    get kind() {
      return paid.active() ? 'paid' : last === 'paid' ? 'paid' : 'practice';
    },
    describe: () => (paid.active() ? paid.describe() : practice.describe()),
    start(devices) {
      if (paid.active()) {
        const handle = paid.start(devices);
        if (!('none' in handle)) {
          last = 'paid';
          return handle;
        }
        const fallback = practice.start(devices);
        if ('none' in fallback) return { none: handle.none };
        last = 'practice';
        return fallback;
      }
      last = 'practice';
      return practice.start(devices);
    },
    async stop() {
      await practice.stop?.();
    },
  };
}
