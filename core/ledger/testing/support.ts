/** Test helpers for the ledger: a settable clock, sample jobs, a ledger in a temp folder. */
import { join } from 'node:path';
import { memoryLogger, tempDir } from '../../test-support.ts';
import type { Clock } from '../../ports.ts';
import { openLedger } from '../index.ts';
import type { Ledger, NewJob } from '../types.ts';

/** A clock whose time only moves when the test sets it (the ledger never schedules timers). */
export function manualClock(start = Date.UTC(2026, 0, 5, 12, 0, 0)): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  const never = () => {
    throw new Error('the ledger should not schedule timers');
  };
  return {
    now: () => t,
    set: (v) => void (t = v),
    advance: (ms) => void (t += ms),
    setTimeout: never,
    clearTimeout: never,
    setInterval: never,
    clearInterval: never,
  };
}

export const MARKET = '0xAbCdEf0000000000000000000000000000000001';
export const REQUESTER = '0x1111111111111111111111111111111111111111';
export const PROVIDER = '0x2222222222222222222222222222222222222222';

/** A valid new job; `over` replaces fields. */
export function sampleJob(jobId: string | number, over: Partial<NewJob> = {}): NewJob {
  return {
    chainId: 31337,
    market: MARKET,
    classLabel: 'gpu-8g',
    jobId: String(jobId),
    requester: REQUESTER,
    model: 'resnet50',
    modelHash: `0x${'ab'.repeat(32)}`,
    units: 10,
    maxPricePerUnitWei: '1000000000000000000',
    deadline: Date.UTC(2026, 0, 6),
    inputUri: `http://127.0.0.1/in/${jobId}`,
    inputHash: `0x${'cd'.repeat(32)}`,
    postedBlock: 100,
    ...over,
  };
}

/** A tx hash from a number. */
export const txHash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

/** A ledger in a fresh temp folder, with its clock and logger; `done` closes and removes it. */
export async function tempLedger() {
  const { dir, cleanup } = await tempDir('hearth-ledger-');
  const path = join(dir, 'data', 'ledger.sqlite');
  const clock = manualClock();
  const logger = memoryLogger();
  const ledger: Ledger = openLedger({ path, clock, logger });
  return {
    dir,
    path,
    clock,
    logger,
    ledger,
    async done() {
      ledger.close();
      await cleanup();
    },
  };
}
