import { z } from 'zod';
import { call } from '../define.ts';

const version = z.string().max(64);

/**
 * Where the app's own update stands. idle: up to date (or not checked yet) · checking ·
 * available: found, download starting · downloading · ready: downloaded, applied by
 * "Restart to update" (`waitingForJob`: a paid job runs, the restart waits for it) ·
 * error: the last check or download failed · unsupported: this shell does not update
 * itself (the daemon, a development build), with the reason.
 */
export const updateState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle'), checkedAt: z.number().int().nullable() }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('available'), version }),
  z.object({
    state: z.literal('downloading'),
    version,
    /** 0..100 */
    percent: z.number().min(0).max(100),
    bytes: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
  }),
  z.object({ state: z.literal('ready'), version, waitingForJob: z.boolean() }),
  z.object({ state: z.literal('error'), message: z.string().max(500) }),
  z.object({ state: z.literal('unsupported'), reason: z.string().max(300) }),
]);
export type UpdateState = z.infer<typeof updateState>;

const empty = z.object({}).strict().prefault({});

export const updateCalls = {
  'update:status': call(empty, updateState),
  /** Looks for an update now (a download follows when one is found). */
  'update:check': call(empty, updateState),
  /** Restarts into the downloaded update, at once or as soon as the running paid job ends. */
  'update:restart': call(empty, updateState),
};

export const updateEvents = {
  'update:changed': updateState,
};
