import { z } from 'zod';
import { call } from '../define.ts';

/**
 * paused (by you) · blocked (a veto holds: game, heat, battery, schedule…) · waiting (for
 * you to be away long enough) · ready (about to start) · running · yielding (giving the
 * machine back) · cooling (a pause reason just cleared; waiting a moment so it does not flap).
 */
export const schedulerState = z.enum(['paused', 'blocked', 'waiting', 'ready', 'running', 'yielding', 'cooling']);
export type SchedulerState = z.infer<typeof schedulerState>;

export const vetoKind = z.enum(['app', 'fullscreen', 'gpu-busy', 'gpu-temp', 'gpu-power', 'thermal', 'schedule', 'battery', 'devices', 'sleep']);
export type VetoKind = z.infer<typeof vetoKind>;
export const veto = z.object({ kind: vetoKind, message: z.string() });
export type Veto = z.infer<typeof veto>;

/** How Hearth sees one activity signal, for the "why" panel. */
export const signalStatus = z.object({
  signal: z.enum(['input', 'lock', 'sleep', 'power', 'thermal', 'apps', 'fullscreen', 'gpu']),
  available: z.boolean(),
  /** Where it comes from, or why it cannot be read. */
  detail: z.string(),
});
export type SignalStatus = z.infer<typeof signalStatus>;

export const schedulerJob = z.object({
  id: z.string(),
  /** "practice" is unpaid warm-up work on a real model; "paid" comes from the market. */
  kind: z.enum(['practice', 'paid']),
  label: z.string(),
  startedAt: z.number(),
  deviceId: z.string().nullable(),
});
export type SchedulerJob = z.infer<typeof schedulerJob>;

export const schedulerStatus = z.object({
  state: schedulerState,
  /** One sentence a person can read, e.g. "Paused — game.exe is running". */
  reason: z.string(),
  since: z.number(),
  idleSeconds: z.number().nullable(),
  idleThresholdSeconds: z.number(),
  vetoes: z.array(veto),
  pause: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('until'), until: z.number() }),
    z.object({ kind: z.literal('indefinite') }),
  ]),
  /** True while a job is allowed to finish before Hearth pauses. */
  finishingThenPause: z.boolean(),
  job: schedulerJob.nullable(),
  jobSource: z.object({ kind: z.enum(['practice', 'paid', 'none']), description: z.string() }),
  signals: z.array(signalStatus),
  jobsCompleted: z.number().int().nonnegative(),
  jobsPreempted: z.number().int().nonnegative(),
  /** Milliseconds from the last "you are back" signal to the worker being gone. */
  lastYieldMs: z.number().nullable(),
  testHooks: z.boolean(),
});
export type SchedulerStatus = z.infer<typeof schedulerStatus>;

export const pauseRequest = z
  .object({
    duration: z.enum(['hour', 'tomorrow', 'resume']),
    /** Let the running job finish first. */
    finishCurrent: z.boolean().default(false),
  })
  .strict();

/** Steps the scripted activity source accepts (only when the daemon runs with HEARTH_TEST_HOOKS=1). */
export const testDriveStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('input') }).strict(),
  z.object({ kind: z.literal('idle'), seconds: z.number().nonnegative().max(1e7) }).strict(),
  z.object({ kind: z.enum(['lock', 'unlock', 'suspend', 'resume']) }).strict(),
  z.object({ kind: z.literal('power'), onBattery: z.boolean(), batteryPct: z.number().min(0).max(100).nullable() }).strict(),
  z.object({ kind: z.literal('thermal'), state: z.enum(['nominal', 'fair', 'serious', 'critical']) }).strict(),
  z.object({ kind: z.literal('input-unavailable'), reason: z.string().max(200) }).strict(),
  /** Pretend these programs are running (replaces the scripted list). */
  z.object({ kind: z.literal('apps'), names: z.array(z.string().max(100)).max(50) }).strict(),
  /** Pretend GPU readings: temperature, power, other processes. */
  z
    .object({
      kind: z.literal('gpu'),
      temperatureC: z.number().nullable(),
      powerDrawW: z.number().nullable(),
      otherProcesses: z.array(z.string().max(100)).max(20),
    })
    .strict(),
]);
export type TestDriveStep = z.infer<typeof testDriveStep>;

export const schedulerCalls = {
  'scheduler:status': call(z.object({}).strict().prefault({}), schedulerStatus),
  'scheduler:pause': call(pauseRequest, schedulerStatus),
  'scheduler:resume': call(z.object({}).strict().prefault({}), schedulerStatus),
  'scheduler:test-drive': call(z.object({ steps: z.array(testDriveStep).min(1).max(50) }).strict(), schedulerStatus),
};

export const schedulerEvents = {
  'scheduler:status': schedulerStatus,
};
