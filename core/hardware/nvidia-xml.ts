/**
 * `nvidia-smi -q -x` -> Hearth's model. The XML schema changed across driver versions
 * (power_readings -> gpu_power_readings, power_draw -> instant_power_draw...), so every
 * value is looked up under each name it has had.
 */
import type { GpuDevice, GpuProcess, GpuSample, MigInstance } from '../../common/hardware.ts';
import { UNNAMED_GPU } from '../../common/hardware.ts';
import { deviceId } from './nvidia-query.ts';
import { classifyProcess, type ProcessContext } from './processes.ts';
import { assessSupport } from './support.ts';
import { at, attr, child, children, first, readXml, type XmlNode } from './xml.ts';
import { inRange, int, mib, normalizeBusId, num, text } from './values.ts';

export type NvidiaXmlReport = {
  driverVersion: string | null;
  cudaVersion: string | null;
  /** What the driver says is attached; may exceed gpus.length (a GPU the driver cannot reach). */
  attachedGpus: number | null;
  gpus: GpuDevice[];
  samples: GpuSample[];
  processes: GpuProcess[];
  /** Why the output was not read whole (cut off, malformed, refused), or null. */
  problem: string | null;
};

/** More than any machine holds (NVLink systems top out at 16 or so): the rest is noise, not GPUs. */
export const MAX_XML_GPUS = 64;

function virtualization(raw: string | undefined): GpuDevice['virtualization'] {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '') return 'unknown';
  if (v === 'none') return 'none';
  if (v === 'vgpu') return 'vgpu';
  if (v.startsWith('pass')) return 'passthrough';
  return 'unknown';
}

function migInstances(gpu: XmlNode): MigInstance[] {
  return children(child(gpu, 'mig_devices'), 'mig_device').map((d, i) => ({
    index: int(at(d, 'index')) ?? i,
    gpuInstanceId: int(at(d, 'gpu_instance_id')),
    computeInstanceId: int(at(d, 'compute_instance_id')),
    vramMiB: mib(at(d, 'fb_memory_usage/total')),
  }));
}

function processes(gpu: XmlNode, busId: string | null, ctx: ProcessContext): GpuProcess[] {
  const out: GpuProcess[] = [];
  for (const p of children(child(gpu, 'processes'), 'process_info')) {
    const pid = int(at(p, 'pid'));
    if (pid === null) continue;
    const base = {
      pid,
      name: text(at(p, 'process_name')) ?? '',
      busId,
      usedMiB: mib(at(p, 'used_memory')),
      type: text(at(p, 'type')),
    };
    out.push({ ...base, kind: classifyProcess(base, ctx) });
  }
  return out;
}

/**
 * Parses `nvidia-smi -q -x`. Never throws: output cut off by a killed nvidia-smi yields the GPUs
 * written whole before the cut, an unreadable one no GPUs, and `problem` says why.
 */
export function parseNvidiaXml(xml: string, ctx: ProcessContext = { ownPids: new Set() }, platform = process.platform): NvidiaXmlReport {
  const read = readXml(xml, { root: 'nvidia_smi_log', unit: 'gpu' });
  const log = child(read.doc, 'nvidia_smi_log');
  let problem = read.problem ?? (log ? null : 'The output holds no <nvidia_smi_log> element.');
  const gpuElements = children(log, 'gpu');
  if (gpuElements.length > MAX_XML_GPUS) {
    problem = `${problem ? `${problem} ` : ''}It lists ${gpuElements.length} GPUs; only the first ${MAX_XML_GPUS} were read.`;
  }
  const driverVersion = text(at(log, 'driver_version'));
  const cudaVersion = text(at(log, 'cuda_version'));
  const gpus: GpuDevice[] = [];
  const samples: GpuSample[] = [];
  const procs: GpuProcess[] = [];
  gpuElements.slice(0, MAX_XML_GPUS).forEach((g, index) => {
    const busId = normalizeBusId(first(g, 'pci/pci_bus_id') ?? attr(g, 'id'));
    const rawName = text(at(g, 'product_name')) ?? '';
    const mig = text(at(g, 'mig_mode/current_mig'));
    const base = {
      // XML has no index field; nvidia-smi lists GPUs in index order.
      index,
      vendor: 'nvidia' as const,
      name: rawName || UNNAMED_GPU,
      nameReported: rawName !== '' && rawName !== UNNAMED_GPU,
      uuid: text(at(g, 'uuid')),
      busId,
      vramMiB: inRange(mib(at(g, 'fb_memory_usage/total')), 1, 4 * 1024 * 1024),
      driverVersion,
      cudaVersion,
      computeCapability: text(first(g, 'compute_cap', 'cuda_compute_capability')),
      migEnabled: mig === null ? null : mig.toLowerCase() === 'enabled',
      migInstances: migInstances(g),
      virtualization: virtualization(at(g, 'gpu_virtualization_mode/virtualization_mode')),
      driverModel: text(at(g, 'driver_model/current_dm')),
      integrated: false,
      source: 'nvidia-smi' as const,
    };
    const id = deviceId('nvidia', busId, base.index);
    gpus.push({ ...base, id, support: assessSupport(base, platform) });
    const gpuProcs = processes(g, busId, ctx);
    procs.push(...gpuProcs);
    samples.push({
      deviceId: id,
      utilizationPct: inRange(num(at(g, 'utilization/gpu_util')), 0, 100),
      memoryUsedMiB: inRange(mib(at(g, 'fb_memory_usage/used')), 0, 4 * 1024 * 1024),
      memoryTotalMiB: base.vramMiB,
      temperatureC: inRange(num(at(g, 'temperature/gpu_temp')), -40, 150),
      powerDrawW: inRange(
        num(first(g, 'gpu_power_readings/instant_power_draw', 'gpu_power_readings/power_draw', 'power_readings/power_draw', 'power_readings/instant_power_draw', 'gpu_power_readings/average_power_draw')),
        0,
        5000,
      ),
      powerLimitW: inRange(
        num(first(g, 'gpu_power_readings/current_power_limit', 'gpu_power_readings/enforced_power_limit', 'power_readings/enforced_power_limit', 'power_readings/power_limit', 'power_readings/current_power_limit')),
        0,
        5000,
      ),
      fanPct: inRange(num(at(g, 'fan_speed')), 0, 100),
      clockGraphicsMHz: inRange(num(at(g, 'clocks/graphics_clock')), 0, 10000),
      clockMemoryMHz: inRange(num(at(g, 'clocks/mem_clock')), 0, 50000),
      otherProcesses: gpuProcs.filter((p) => p.kind === 'compute'),
    });
  });
  return { driverVersion, cudaVersion, attachedGpus: int(at(log, 'attached_gpus')), gpus, samples, processes: procs, problem };
}
