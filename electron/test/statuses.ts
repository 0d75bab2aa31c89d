// Scheduler statuses for tests of what reacts to them (the tray).
import { schedulerStatus, type SchedulerStatus } from '../../common/ipc/groups/scheduler.ts';

/** A scheduler waiting for the user to be away, with `over` on top (checked against the contract). */
export function schedulerOf(over: Partial<SchedulerStatus> = {}): SchedulerStatus {
  return schedulerStatus.parse({
    state: 'waiting',
    reason: 'Waiting for you to be away: idle 2 min of 5 min',
    since: 0,
    idleSeconds: 120,
    idleThresholdSeconds: 300,
    vetoes: [],
    pause: { kind: 'none' },
    finishingThenPause: false,
    job: null,
    jobSource: { kind: 'paid', description: 'Paid jobs' },
    signals: [],
    jobsCompleted: 0,
    jobsPreempted: 0,
    lastYieldMs: null,
    testHooks: false,
    ...over,
  });
}
