/**
 * nvidia-smi `--query-gpu` / `--query-compute-apps` CSV -> Hearth's model.
 * Works with the fields Hearth queries and with full recorded outputs (header names differ).
 */
import type { GpuDevice, GpuProcess, GpuSample } from '../../common/hardware.ts';
import { UNNAMED_GPU } from '../../common/hardware.ts';
import { parseNvidiaCsv, type CsvRow } from './nvidia-csv.ts';
import { classifyProcess, type ProcessContext } from './processes.ts';
import { assessSupport } from './support.ts';
import { inRange, int, mib, normalizeBusId, num, text } from './values.ts';

/** Fields for the inventory (all present since drivers ~510; older drivers reject compute_cap). */
export const INVENTORY_FIELDS = [
  'index',
  'name',
  'uuid',
  'pci.bus_id',
  'memory.total',
  'driver_version',
  'compute_cap',
  'mig.mode.current',
  'driver_model.current',
] as const;

/** Fallback inventory fields every driver of the last decade accepts. */
export const INVENTORY_FIELDS_LEGACY = ['index', 'name', 'uuid', 'pci.bus_id', 'memory.total', 'driver_version'] as const;

/** Fields for one telemetry sample: cheap to read, present on every driver we care about. */
export const TELEMETRY_FIELDS = [
  'index',
  'pci.bus_id',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'fan.speed',
  'clocks.gr',
  'clocks.mem',
] as const;

export const COMPUTE_APPS_FIELDS = ['gpu_bus_id', 'pid', 'process_name', 'used_gpu_memory'] as const;

/** Command line arguments for a CSV query without header or units (the cheapest form to parse). */
export function queryArgs(kind: 'gpu' | 'compute-apps', fields: readonly string[]): string[] {
  return [`--query-${kind}=${fields.join(',')}`, '--format=csv,noheader,nounits'];
}

/** Device id from vendor + bus id (stable across reboots, unlike the index). */
export function deviceId(vendor: string, busId: string | null, index: number): string {
  return busId ? `${vendor}:${busId.toLowerCase()}` : `${vendor}:index${index}`;
}

function pick(row: CsvRow, ...keys: string[]): string | undefined {
  for (const k of keys) if (row[k] !== undefined) return row[k];
  return undefined;
}

function gpuFromRow(row: CsvRow, position: number, platform: string): GpuDevice {
  const index = int(row['index']) ?? position;
  const rawName = text(row['name']) ?? '';
  const busId = normalizeBusId(row['pci.bus_id']);
  const mig = text(row['mig.mode.current']);
  const base = {
    index,
    vendor: 'nvidia' as const,
    name: rawName || UNNAMED_GPU,
    nameReported: rawName !== '' && rawName !== UNNAMED_GPU,
    uuid: text(row['uuid']),
    busId,
    vramMiB: inRange(mib(row['memory.total']), 1, 4 * 1024 * 1024),
    driverVersion: text(row['driver_version']),
    cudaVersion: null,
    computeCapability: text(row['compute_cap']),
    migEnabled: mig === null ? null : mig.toLowerCase() === 'enabled',
    migInstances: [],
    virtualization: 'unknown' as const,
    driverModel: text(row['driver_model.current']),
    integrated: false,
    source: 'nvidia-smi' as const,
  };
  return { ...base, id: deviceId('nvidia', busId, index), support: assessSupport(base, platform) };
}

/** GPUs from a `--query-gpu` CSV (with or without header/units). `fields` is what was queried. */
export function parseGpuInventoryCsv(output: string, fields: readonly string[] = INVENTORY_FIELDS, platform = process.platform): GpuDevice[] {
  const { rows } = parseNvidiaCsv(output, fields);
  return rows.filter((r) => text(r['name']) !== null || text(r['pci.bus_id']) !== null).map((r, i) => gpuFromRow(r, i, platform));
}

function sampleFromRow(row: CsvRow, position: number): GpuSample {
  const index = int(row['index']) ?? position;
  const busId = normalizeBusId(row['pci.bus_id']);
  return {
    deviceId: deviceId('nvidia', busId, index),
    utilizationPct: inRange(num(row['utilization.gpu']), 0, 100),
    memoryUsedMiB: inRange(mib(row['memory.used']), 0, 4 * 1024 * 1024),
    memoryTotalMiB: inRange(mib(row['memory.total']), 1, 4 * 1024 * 1024),
    temperatureC: inRange(num(row['temperature.gpu']), -40, 150),
    powerDrawW: inRange(num(pick(row, 'power.draw', 'power.draw.instant') ?? null), 0, 5000),
    powerLimitW: inRange(num(pick(row, 'power.limit', 'enforced.power.limit') ?? null), 0, 5000),
    fanPct: inRange(num(row['fan.speed']), 0, 100),
    clockGraphicsMHz: inRange(num(row['clocks.current.graphics']), 0, 10000),
    clockMemoryMHz: inRange(num(row['clocks.current.memory']), 0, 50000),
    otherProcesses: [],
  };
}

export type QueryParse<T> = { items: T[]; rejected: number };

/** Telemetry samples (without processes) from a `--query-gpu` CSV. */
export function parseTelemetryCsv(output: string, fields: readonly string[] = TELEMETRY_FIELDS): QueryParse<GpuSample> {
  const { rows, rejected } = parseNvidiaCsv(output, fields);
  const items = rows.filter((r) => text(r['pci.bus_id']) !== null || int(r['index']) !== null).map(sampleFromRow);
  return { items, rejected };
}

/** Processes from a `--query-compute-apps` CSV, each classified for the "someone else" veto. */
export function parseComputeAppsCsv(
  output: string,
  ctx: ProcessContext,
  fields: readonly string[] = COMPUTE_APPS_FIELDS,
): QueryParse<GpuProcess> {
  const { rows, rejected } = parseNvidiaCsv(output, fields);
  const items: GpuProcess[] = [];
  for (const r of rows) {
    const pid = int(r['pid']);
    if (pid === null) continue;
    const name = text(r['process_name']) ?? '';
    const type = ctx.knownTypes?.get(pid) ?? null;
    const base = { pid, name, busId: normalizeBusId(r['gpu_bus_id']), usedMiB: mib(r['used_gpu_memory']), type };
    items.push({ ...base, kind: classifyProcess(base, ctx) });
  }
  return { items, rejected };
}
