/**
 * Hardware domain model shared by core, the shells and the renderer.
 * Pure zod + types: no Node, no DOM.
 */
import { z } from 'zod';

export const gpuVendorSchema = z.enum(['nvidia', 'amd', 'intel', 'apple', 'other']);
export type GpuVendor = z.infer<typeof gpuVendorSchema>;

/** Which tool told us about a device. */
export const hardwareSourceSchema = z.enum(['nvidia-smi', 'rocm-smi', 'systeminformation', 'sysfs']);
export type HardwareSource = z.infer<typeof hardwareSourceSchema>;

/** Whether Hearth can earn with a device, and if not, what the user can do. */
export const deviceSupportSchema = z.object({
  status: z.enum(['supported', 'limited', 'unsupported']),
  /** One plain sentence: why. */
  reason: z.string(),
  /** One plain sentence: what to do about it (empty when nothing is needed). */
  action: z.string(),
});
export type DeviceSupport = z.infer<typeof deviceSupportSchema>;

export const migInstanceSchema = z.object({
  index: z.number().int(),
  gpuInstanceId: z.number().int().nullable(),
  computeInstanceId: z.number().int().nullable(),
  vramMiB: z.number().nullable(),
});
export type MigInstance = z.infer<typeof migInstanceSchema>;

export const gpuDeviceSchema = z.object({
  /** Stable id: `<vendor>:<pci bus id>` (lower case), or `<vendor>:index<N>` when no bus id is known. */
  id: z.string(),
  index: z.number().int(),
  vendor: gpuVendorSchema,
  /** Name as the driver reports it (may be "Graphics Device" on old drivers). */
  name: z.string(),
  /** False when the driver gave no real model name ("Graphics Device", empty). */
  nameReported: z.boolean(),
  uuid: z.string().nullable(),
  busId: z.string().nullable(),
  vramMiB: z.number().nullable(),
  driverVersion: z.string().nullable(),
  cudaVersion: z.string().nullable(),
  computeCapability: z.string().nullable(),
  /** MIG mode: null when the GPU does not support it. */
  migEnabled: z.boolean().nullable(),
  migInstances: z.array(migInstanceSchema),
  /** 'vgpu' in a virtual-GPU guest, 'passthrough' for a whole GPU given to a VM. */
  virtualization: z.enum(['none', 'vgpu', 'passthrough', 'unknown']),
  /** Windows driver model (WDDM/TCC) when reported. */
  driverModel: z.string().nullable(),
  /** True for integrated graphics (shares system RAM). */
  integrated: z.boolean(),
  source: hardwareSourceSchema,
  support: deviceSupportSchema,
});
export type GpuDevice = z.infer<typeof gpuDeviceSchema>;

export const cpuInfoSchema = z.object({
  vendor: z.string(),
  model: z.string(),
  physicalCores: z.number().int().nonnegative(),
  logicalCores: z.number().int().nonnegative(),
  speedGHz: z.number().nullable(),
  arch: z.string(),
});
export type CpuInfo = z.infer<typeof cpuInfoSchema>;

export const ramInfoSchema = z.object({
  totalMiB: z.number().nonnegative(),
  availableMiB: z.number().nonnegative().nullable(),
});
export type RamInfo = z.infer<typeof ramInfoSchema>;

export const osInfoSchema = z.object({
  platform: z.string(),
  distro: z.string(),
  release: z.string(),
  kernel: z.string(),
  arch: z.string(),
  hostname: z.string(),
});
export type OsInfo = z.infer<typeof osInfoSchema>;

/** Outcome of asking one tool: lets the UI say *why* a GPU was not found. */
export const probeResultSchema = z.object({
  source: hardwareSourceSchema,
  status: z.enum(['ok', 'absent', 'timeout', 'failed', 'skipped']),
  message: z.string(),
  durationMs: z.number().nonnegative(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

export const hardwareInventorySchema = z.object({
  detectedAt: z.number(),
  gpus: z.array(gpuDeviceSchema),
  cpu: cpuInfoSchema,
  ram: ramInfoSchema,
  os: osInfoSchema,
  probes: z.array(probeResultSchema),
  /** True when no GPU is usable for earning: Hearth will run on the CPU. */
  cpuOnly: z.boolean(),
});
export type HardwareInventory = z.infer<typeof hardwareInventorySchema>;

/** How a process on a GPU is classified for the "someone else is using it" veto. */
export const gpuProcessKindSchema = z.enum(['ours', 'desktop', 'compute']);
export type GpuProcessKind = z.infer<typeof gpuProcessKindSchema>;

export const gpuProcessSchema = z.object({
  pid: z.number().int(),
  name: z.string(),
  /** Bus id of the GPU it runs on, when known. */
  busId: z.string().nullable(),
  usedMiB: z.number().nullable(),
  /** nvidia-smi process type: C (compute), G (graphics), C+G; null when unknown (CSV). */
  type: z.string().nullable(),
  kind: gpuProcessKindSchema,
});
export type GpuProcess = z.infer<typeof gpuProcessSchema>;

/** One reading of one GPU; every metric may be missing (N/A on this GPU or driver). */
export const gpuSampleSchema = z.object({
  deviceId: z.string(),
  utilizationPct: z.number().nullable(),
  memoryUsedMiB: z.number().nullable(),
  memoryTotalMiB: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerDrawW: z.number().nullable(),
  powerLimitW: z.number().nullable(),
  fanPct: z.number().nullable(),
  clockGraphicsMHz: z.number().nullable(),
  clockMemoryMHz: z.number().nullable(),
  /** Compute processes that are not Hearth's and not part of the desktop. */
  otherProcesses: z.array(gpuProcessSchema),
});
export type GpuSample = z.infer<typeof gpuSampleSchema>;

export const telemetrySampleSchema = z.object({
  at: z.number(),
  gpus: z.array(gpuSampleSchema),
  cpuPct: z.number().nullable(),
  ramUsedMiB: z.number().nullable(),
});
export type TelemetrySample = z.infer<typeof telemetrySampleSchema>;

/** A downsampled window of telemetry for one device (the history / ledger unit). */
export const telemetryBucketSchema = z.object({
  deviceId: z.string(),
  start: z.number(),
  end: z.number(),
  count: z.number().int().positive(),
  utilizationAvg: z.number().nullable(),
  utilizationMax: z.number().nullable(),
  memoryUsedMax: z.number().nullable(),
  temperatureMax: z.number().nullable(),
  powerAvg: z.number().nullable(),
  busyByOthers: z.boolean(),
});
export type TelemetryBucket = z.infer<typeof telemetryBucketSchema>;

export const telemetryRateSchema = z.enum(['foreground', 'background']);
export type TelemetryRate = z.infer<typeof telemetryRateSchema>;

/** The CPU is always a device; this id names it in samples, settings and benchmarks. */
export const CPU_DEVICE_ID = 'cpu';

/** Name nvidia-smi prints when an old driver does not know a newer card. */
export const UNNAMED_GPU = 'Graphics Device';

/** A short label for a device that never shows an empty or meaningless name. */
export function gpuDisplayName(gpu: Pick<GpuDevice, 'name' | 'nameReported' | 'vendor'>): string {
  if (gpu.nameReported) return gpu.name;
  const vendor = { nvidia: 'NVIDIA', amd: 'AMD', intel: 'Intel', apple: 'Apple', other: 'Unknown' }[gpu.vendor];
  return `${vendor} GPU (model not reported by the driver)`;
}

/** Per-device user choices, persisted in settings (`hardware.devices[deviceId]`). */
export const deviceSettingsSchema = z.object({
  /** Whether Hearth may earn with this device. */
  enabled: z.boolean().default(true),
  /** Most video memory a job may use on this GPU, in MiB; null means no cap. */
  vramCapMiB: z.number().int().min(256).max(4 * 1024 * 1024).nullable().default(null),
});
export type DeviceSettings = z.output<typeof deviceSettingsSchema>;

/** The settings section of the hardware capability. */
export const hardwareSettings = z.object({
  devices: z.record(z.string().min(1).max(80), deviceSettingsSchema).default({}),
});
export type HardwareSettings = z.output<typeof hardwareSettings>;

/** Settings for one device, with defaults when the user never touched it. */
export function deviceSettingsFor(settings: HardwareSettings | undefined, deviceId: string): DeviceSettings {
  return settings?.devices[deviceId] ?? { enabled: true, vramCapMiB: null };
}

/** A device's benchmark score, kept with when and how it was measured. */
export const benchmarkRecordSchema = z.object({
  deviceId: z.string(),
  modelId: z.string(),
  /** Execution provider that actually ran it (cpu, cuda, dml, coreml). */
  provider: z.string(),
  /** The score: inferences per second on the fixed workload. */
  inferencesPerSecond: z.number().nonnegative(),
  iterations: z.number().int().nonnegative(),
  batch: z.number().int().positive(),
  elapsedMs: z.number().nonnegative(),
  at: z.number(),
});
export type BenchmarkRecord = z.infer<typeof benchmarkRecordSchema>;

export const benchmarkStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  /** The device the user asked to benchmark. */
  deviceId: z.string().nullable(),
  phase: z.enum(['loading', 'warmup', 'measuring']).nullable(),
  /** 0..1 over the whole run. */
  progress: z.number().min(0).max(1),
  startedAt: z.number().nullable(),
  result: benchmarkRecordSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type BenchmarkStatus = z.infer<typeof benchmarkStatusSchema>;
