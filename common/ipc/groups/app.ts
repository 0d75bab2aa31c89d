import { z } from 'zod';
import { call } from '../define.ts';

export const shellKind = z.enum(['desktop', 'daemon']);
export type ShellKind = z.infer<typeof shellKind>;

export const appStatus = z.object({
  name: z.literal('Hearth'),
  version: z.string(),
  shell: shellKind,
  startedAt: z.number().int(),
  uptimeSeconds: z.number().nonnegative(),
  dataDir: z.string(),
  platform: z.string(),
  runtime: z.string(),
  /** Problems found at start that the user should know about (e.g. a settings file that had to be reset). */
  warnings: z.array(z.string()),
});
export type AppStatus = z.infer<typeof appStatus>;

export const appCalls = {
  'app:status': call(z.object({}).strict().prefault({}), appStatus),
};

export const appEvents = {};
