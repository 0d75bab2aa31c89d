import { z } from 'zod';
import { call } from '../define.ts';
import { providerName } from '../../worker/protocol.ts';

export const workerStateSchema = z.enum(['starting', 'ready', 'busy', 'draining', 'exited']);

/** The inference worker as the UI shows it: lifecycle, what ran the last model, recent crashes. */
export const workerStatusSchema = z.object({
  state: workerStateSchema,
  pid: z.number().int().nullable(),
  provider: providerName.nullable(),
  restarts: z.number().int().nonnegative(),
  jobsDone: z.number().int().nonnegative(),
  jobsFailed: z.number().int().nonnegative(),
  rssBytes: z.number().nonnegative().nullable(),
  memoryLimitBytes: z.number().nonnegative(),
  crashes: z.array(z.object({ at: z.number(), reason: z.string(), code: z.string() })),
  note: z.string().nullable(),
});
export type WorkerStatusView = z.infer<typeof workerStatusSchema>;

export const workerCalls = {
  'worker:status': call(z.object({}).strict().prefault({}), workerStatusSchema),
};

export const workerEvents = {
  /** Every lifecycle change of the inference worker. */
  'worker:state': workerStatusSchema,
};
