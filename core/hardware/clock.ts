/**
 * The slice of the Clock port (core/ports.ts) the hardware module uses, so scripts and
 * tests can hand in a minimal fake.
 */
import type { Clock } from '../ports.ts';
export { systemClock as realClock } from '../node-ports.ts';

export type HardwareClock = Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
