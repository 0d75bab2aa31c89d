import { z } from 'zod';
import { call } from '../define.ts';
import {
  benchmarkRecordSchema,
  benchmarkStatusSchema,
  deviceSettingsSchema,
  hardwareInventorySchema,
  telemetryBucketSchema,
  telemetryRateSchema,
  telemetrySampleSchema,
} from '../../hardware.ts';

const empty = z.object({}).strict().prefault({});
const deviceId = z.string().min(1).max(80);

/** Everything the Devices page needs in one answer. */
export const hardwareView = z.object({
  /** Null until the first detection finishes. */
  inventory: hardwareInventorySchema.nullable(),
  detecting: z.boolean(),
  /** Latest reading of every device (null before the first sample). */
  latest: telemetrySampleSchema.nullable(),
  rate: telemetryRateSchema,
  benchmarks: z.array(benchmarkRecordSchema),
  benchmark: benchmarkStatusSchema,
});
export type HardwareView = z.infer<typeof hardwareView>;

export const hardwareHistory = z.object({
  /** Raw recent samples, oldest first (about the last few minutes). */
  recent: z.array(telemetrySampleSchema),
  /** One-minute buckets, oldest first. */
  buckets: z.array(telemetryBucketSchema),
});
export type HardwareHistory = z.infer<typeof hardwareHistory>;

export const hardwareCalls = {
  'hardware:list': call(empty, hardwareView),
  /** Detects devices again (after installing a driver, plugging an eGPU). */
  'hardware:refresh': call(empty, hardwareView),
  'hardware:history': call(
    z.object({ deviceId: deviceId.optional(), limit: z.number().int().min(1).max(600).default(120) }).strict().prefault({}),
    hardwareHistory,
  ),
  /** Starts a benchmark; progress arrives as `hardware:benchmark-progress` events. */
  'hardware:benchmark': call(z.object({ deviceId }).strict(), benchmarkStatusSchema),
  'hardware:benchmark-status': call(empty, benchmarkStatusSchema),
  /** The renderer says whether a window shows live values (1 Hz) or not (slow sampling). */
  'hardware:set-rate': call(z.object({ rate: telemetryRateSchema }).strict(), z.object({ rate: telemetryRateSchema })),
  /** Enables/disables a device for earning and sets its VRAM cap (persisted in settings). */
  'hardware:configure': call(
    z.object({ deviceId, enabled: z.boolean().optional(), vramCapMiB: deviceSettingsSchema.shape.vramCapMiB.unwrap().optional() }).strict(),
    deviceSettingsSchema,
  ),
};

export const hardwareEvents = {
  'hardware:telemetry': telemetrySampleSchema,
  'hardware:inventory': hardwareInventorySchema,
  'hardware:benchmark-progress': benchmarkStatusSchema,
};
