import type { SchedulerJob } from '../../common/ipc/groups/scheduler.ts';

/** `skipped`: the job was looked at and turned down before any work (a market job whose input was broken); the next one may start at once. */
export type JobOutcome = { kind: 'completed' } | { kind: 'preempted' } | { kind: 'skipped'; reason: string } | { kind: 'failed'; message: string };

/** A started job: `done` settles once its worker is idle or gone, whatever the outcome. */
export interface JobHandle {
  job: SchedulerJob;
  done: Promise<JobOutcome>;
  /** Settles when the work is actually running (worker up, model loaded); absent means at once. */
  started?: Promise<void>;
  /** Stops the job within a bounded time (killing its worker if it does not stop); resolves when it is gone. */
  preempt(): Promise<void>;
}

/** Where work comes from: the market, or until it exists, practice work on a real model. */
export interface JobSource {
  readonly kind: 'practice' | 'paid';
  /** One sentence for the UI, honest about whether it pays. */
  describe(): string;
  /** Starts the next job on one of `devices`, or says why there is none right now. */
  start(devices: readonly string[]): JobHandle | { none: string };
  stop?(): Promise<void>;
}
