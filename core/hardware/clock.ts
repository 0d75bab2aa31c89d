/**
 * The slice of the Clock port the hardware module uses. Structural on purpose: the
 * app's Clock (core/ports.ts) and test fake clocks both satisfy it.
 */
export type HardwareClock = {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** Wall-clock implementation, for scripts (bench, CLI) that run outside the provider. */
export const realClock: HardwareClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
