/**
 * systeminformation as the fallback source: CPU, RAM and OS always; GPUs only when
 * nvidia-smi is absent, because si.graphics() runs nvidia-smi with execFileSync and no
 * timeout (node_modules/systeminformation/lib/graphics.js, nvidiaSmi()), which would
 * freeze Hearth's whole process on a hung driver.
 */
import os from 'node:os';
import type { CpuInfo, GpuDevice, GpuVendor, OsInfo, RamInfo } from '../../common/hardware.ts';
import { deviceId } from './nvidia-query.ts';
import { assessSupport } from './support.ts';
import { normalizeBusId } from './values.ts';

/** The slice of systeminformation we use (injectable for tests). */
export type SiLike = {
  cpu(): Promise<{ manufacturer?: string; brand?: string; physicalCores?: number; cores?: number; speed?: number }>;
  mem(): Promise<{ total?: number; available?: number }>;
  osInfo(): Promise<{ platform?: string; distro?: string; release?: string; kernel?: string; arch?: string; hostname?: string }>;
  graphics(): Promise<{
    controllers: Array<{ vendor?: string; model?: string; vram?: number | null; vramDynamic?: boolean; busAddress?: string; pciBus?: string; bus?: string }>;
  }>;
};

/** Loads the real systeminformation lazily (it is CommonJS and slow to import). */
export async function loadSi(): Promise<SiLike> {
  const mod = (await import('systeminformation')) as unknown as { default?: SiLike } & SiLike;
  return mod.default ?? mod;
}

function vendorOf(s: string): GpuVendor {
  const v = s.toLowerCase();
  if (v.includes('nvidia')) return 'nvidia';
  if (v.includes('amd') || v.includes('advanced micro') || v.includes('ati')) return 'amd';
  if (v.includes('intel')) return 'intel';
  if (v.includes('apple')) return 'apple';
  return 'other';
}

/** CPU facts from si.cpu(), with Node's os module as the fallback. */
export function toCpuInfo(c: Awaited<ReturnType<SiLike['cpu']>> | null): CpuInfo {
  const cpus = os.cpus();
  const model = [c?.manufacturer, c?.brand].filter(Boolean).join(' ').trim() || cpus[0]?.model?.trim() || 'Unknown CPU';
  return {
    vendor: c?.manufacturer || 'unknown',
    model,
    physicalCores: c?.physicalCores || cpus.length,
    logicalCores: c?.cores || cpus.length,
    speedGHz: c?.speed || (cpus[0]?.speed ? cpus[0].speed / 1000 : null),
    arch: os.arch(),
  };
}

export function toRamInfo(m: Awaited<ReturnType<SiLike['mem']>> | null): RamInfo {
  const total = m?.total || os.totalmem();
  const avail = m?.available ?? os.freemem();
  return { totalMiB: Math.round(total / 1048576), availableMiB: Math.round(avail / 1048576) };
}

export function toOsInfo(o: Awaited<ReturnType<SiLike['osInfo']>> | null): OsInfo {
  return {
    platform: o?.platform || process.platform,
    distro: o?.distro || os.type(),
    release: o?.release || os.release(),
    kernel: o?.kernel || os.release(),
    arch: o?.arch || os.arch(),
    hostname: o?.hostname || os.hostname(),
  };
}

/**
 * GPUs from si.graphics() controllers. An NVIDIA card seen here means nvidia-smi is
 * missing: the driver is not installed (or broken), which the support verdict says.
 */
export function gpusFromSi(g: Awaited<ReturnType<SiLike['graphics']>> | null, platform: string): GpuDevice[] {
  const out: GpuDevice[] = [];
  (g?.controllers ?? []).forEach((c, index) => {
    const vendor = vendorOf(`${c.vendor ?? ''} ${c.model ?? ''}`);
    const model = (c.model ?? '').trim();
    const busId = normalizeBusId(c.pciBus ?? c.busAddress ?? null);
    const integrated = Boolean(c.vramDynamic) || (vendor === 'intel' && !/arc/i.test(model)) || vendor === 'apple';
    const base = {
      index,
      vendor,
      name: model || `${c.vendor ?? 'Unknown'} graphics`,
      nameReported: model !== '',
      uuid: null,
      busId,
      vramMiB: typeof c.vram === 'number' && c.vram > 0 ? c.vram : null,
      driverVersion: null,
      cudaVersion: null,
      computeCapability: null,
      migEnabled: null,
      migInstances: [],
      virtualization: 'unknown' as const,
      driverModel: null,
      integrated,
      source: 'systeminformation' as const,
    };
    const support =
      vendor === 'nvidia'
        ? {
            status: 'unsupported' as const,
            reason: 'An NVIDIA GPU is installed but its driver tool (nvidia-smi) was not found, so Hearth cannot use it.',
            action: 'Install or repair the NVIDIA driver, then press Refresh.',
          }
        : assessSupport(base, platform);
    out.push({ ...base, id: deviceId(vendor, busId, index), support });
  });
  return out;
}
