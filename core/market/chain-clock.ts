/**
 * Chain time, which job deadlines and challenge windows are measured in. A remote chain's
 * clock is its latest block's timestamp, carried forward by monotonic time (which the wall
 * clock stepping, by NTP or by hand, does not move); this machine's wall clock may be a day
 * off without the chain caring. The local devnet stamps its blocks with this machine's wall
 * clock and never goes back, so there chain time is the later of the two.
 */
import type { Clock } from '../ports.ts';

export interface ChainClock {
  /** The latest block's timestamp in seconds, as just read. */
  observe(timestampSeconds: number): void;
  /** Milliseconds since the epoch by the chain's reckoning; the wall clock before any block is seen. */
  now(devnet: boolean): number;
}

export function createChainClock(clock: Clock, monotonicNow: () => number = () => performance.now()): ChainClock {
  let seen: { blockMs: number; mono: number } | null = null;
  return {
    observe(timestampSeconds) {
      if (!Number.isFinite(timestampSeconds) || timestampSeconds <= 0) return;
      seen = { blockMs: timestampSeconds * 1000, mono: monotonicNow() };
    },
    now(devnet) {
      const wall = clock.now();
      if (!seen) return wall;
      if (devnet) return Math.max(wall, seen.blockMs);
      return seen.blockMs + Math.max(0, monotonicNow() - seen.mono);
    },
  };
}
