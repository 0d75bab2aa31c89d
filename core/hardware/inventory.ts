/**
 * Builds the hardware inventory from every source, in order of trust:
 * nvidia-smi (XML, then CSV), rocm-smi, Linux sysfs (hybrid laptops), systeminformation.
 */
import type { GpuDevice, HardwareInventory, ProbeResult } from '../../common/hardware.ts';
import type { HardwareClock } from './clock.ts';
import { ToolError, type RunTool } from './exec.ts';
import { locateNvidiaSmi, locateRocmSmi } from './locate.ts';
import { INVENTORY_FIELDS, INVENTORY_FIELDS_LEGACY, deviceId, parseGpuInventoryCsv, queryArgs } from './nvidia-query.ts';
import { parseNvidiaXml } from './nvidia-xml.ts';
import { ROCM_ARGS, parseRocmSmiJson } from './rocm.ts';
import { gpusFromSi, toCpuInfo, toOsInfo, toRamInfo, type SiLike } from './si-fallback.ts';
import { hasUsableGpu, assessSupport } from './support.ts';
import { listPciDisplays, vendorFromPciId, type PciDisplay } from './sysfs.ts';

export type InventoryDeps = {
  clock: HardwareClock;
  run: RunTool;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** systeminformation (or a fake); null skips it entirely. */
  si: SiLike | null;
  listDisplays?: () => Promise<PciDisplay[]>;
  /** Upper bound for each systeminformation call (its own execs have no timeout). */
  siTimeoutMs?: number;
};

/** Where nvidia-smi / rocm-smi were found, so telemetry reuses the same binaries. */
export type ToolPaths = { nvidiaSmi: string | null; rocmSmi: string | null };

export type InventoryResult = { inventory: HardwareInventory; tools: ToolPaths };

function describe(e: unknown): { status: ProbeResult['status']; message: string } {
  if (e instanceof ToolError) {
    if (e.code === 'absent') return { status: 'absent', message: e.message };
    if (e.code === 'timeout') return { status: 'timeout', message: e.message };
    return { status: 'failed', message: e.message };
  }
  return { status: 'failed', message: e instanceof Error ? e.message : String(e) };
}

function withTimeout<T>(p: Promise<T>, ms: number, clock: HardwareClock): Promise<T | null> {
  return new Promise((resolve) => {
    const t = clock.setTimeout(() => resolve(null), ms);
    p.then(
      (v) => {
        clock.clearTimeout(t);
        resolve(v);
      },
      () => {
        clock.clearTimeout(t);
        resolve(null);
      },
    );
  });
}

type NvidiaProbe = { gpus: GpuDevice[]; probe: ProbeResult };

async function probeNvidia(path: string, deps: InventoryDeps, platform: NodeJS.Platform): Promise<NvidiaProbe> {
  const started = deps.clock.now();
  const done = (status: ProbeResult['status'], message: string, gpus: GpuDevice[] = []): NvidiaProbe => ({
    gpus,
    probe: { source: 'nvidia-smi', status, message, durationMs: deps.clock.now() - started },
  });
  let gpus: GpuDevice[] = [];
  let xmlError: unknown = null;
  try {
    const { stdout } = await deps.run(path, ['-q', '-x']);
    const report = parseNvidiaXml(stdout, { ownPids: new Set() }, platform);
    gpus = report.gpus;
    // Unreadable XML (garbage, cut off before any GPU): its reason if the CSV finds nothing either.
    if (gpus.length === 0 && report.problem) xmlError = new Error(`nvidia-smi -q -x printed output Hearth could not read. ${report.problem}`);
  } catch (e) {
    // A hung driver will hang the next call too: stop here.
    if (e instanceof ToolError && (e.code === 'timeout' || e.code === 'absent')) {
      const d = describe(e);
      return done(d.status, d.message);
    }
    xmlError = e;
  }
  // CSV: the only source of compute capability, and the fallback when XML failed.
  let csv: GpuDevice[] = [];
  for (const fields of [INVENTORY_FIELDS, INVENTORY_FIELDS_LEGACY]) {
    try {
      const { stdout } = await deps.run(path, queryArgs('gpu', fields));
      csv = parseGpuInventoryCsv(stdout, fields, platform);
      break;
    } catch (e) {
      if (e instanceof ToolError && e.code === 'timeout') break;
      // Old drivers reject newer field names with a non-zero exit: retry with the legacy list.
    }
  }
  if (gpus.length === 0) gpus = csv;
  else {
    gpus = gpus.map((g) => {
      const c = csv.find((x) => x.busId === g.busId);
      if (!c) return g;
      const merged = {
        ...g,
        computeCapability: g.computeCapability ?? c.computeCapability,
        migEnabled: g.migEnabled ?? c.migEnabled,
        driverModel: g.driverModel ?? c.driverModel,
      };
      return { ...merged, support: assessSupport(merged, platform) };
    });
  }
  if (gpus.length > 0) return done('ok', `Found ${gpus.length} NVIDIA GPU(s).`, gpus);
  if (xmlError) return done(describe(xmlError).status, describe(xmlError).message);
  return done('failed', 'nvidia-smi ran but reported no GPU; the NVIDIA driver may not be loaded.');
}

async function probeRocm(path: string, deps: InventoryDeps, platform: NodeJS.Platform): Promise<NvidiaProbe> {
  const started = deps.clock.now();
  try {
    const { stdout } = await deps.run(path, ROCM_ARGS);
    const { gpus } = parseRocmSmiJson(stdout, platform);
    return {
      gpus,
      probe: {
        source: 'rocm-smi',
        status: gpus.length > 0 ? 'ok' : 'failed',
        message: gpus.length > 0 ? `Found ${gpus.length} AMD GPU(s).` : 'rocm-smi ran but reported no GPU.',
        durationMs: deps.clock.now() - started,
      },
    };
  } catch (e) {
    return { gpus: [], probe: { source: 'rocm-smi', ...describe(e), durationMs: deps.clock.now() - started } };
  }
}

function gpuFromPci(d: PciDisplay, index: number, platform: string): GpuDevice {
  const vendor = vendorFromPciId(d.vendorId);
  const label = { nvidia: 'NVIDIA', amd: 'AMD', intel: 'Intel', other: 'Unknown' }[vendor];
  // Intel display controllers on bus 0 are the CPU's integrated graphics.
  const integrated = vendor === 'intel' && d.busId.endsWith(':00:02.0');
  const base = {
    index,
    vendor,
    name: `${label} ${integrated ? 'integrated graphics' : 'GPU'} (PCI ${d.vendorId}:${d.deviceId})`,
    nameReported: false,
    uuid: null,
    busId: d.busId,
    vramMiB: null,
    driverVersion: null,
    cudaVersion: null,
    computeCapability: null,
    migEnabled: null,
    migInstances: [],
    virtualization: 'unknown' as const,
    driverModel: null,
    integrated,
    source: 'sysfs' as const,
  };
  return { ...base, id: deviceId(vendor, d.busId, index), support: assessSupport(base, platform) };
}

/** Detects every device. Never throws; each source's outcome is in `probes`. */
export async function detectInventory(deps: InventoryDeps): Promise<InventoryResult> {
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;
  const siTimeout = deps.siTimeoutMs ?? 10_000;
  const probes: ProbeResult[] = [];
  const gpus: GpuDevice[] = [];
  const known = (busId: string | null) => busId !== null && gpus.some((g) => g.busId === busId);

  const [nvidiaSmi, rocmSmi] = await Promise.all([locateNvidiaSmi({ env, platform }), locateRocmSmi({ env, platform })]);
  const si = deps.si;
  // CPU/RAM/OS in parallel with the GPU tools.
  const basics = Promise.all([
    si ? withTimeout(si.cpu(), siTimeout, deps.clock) : Promise.resolve(null),
    si ? withTimeout(si.mem(), siTimeout, deps.clock) : Promise.resolve(null),
    si ? withTimeout(si.osInfo(), siTimeout, deps.clock) : Promise.resolve(null),
  ]);

  const [nv, amd] = await Promise.all([
    nvidiaSmi ? probeNvidia(nvidiaSmi, deps, platform) : Promise.resolve(null),
    rocmSmi ? probeRocm(rocmSmi, deps, platform) : Promise.resolve(null),
  ]);
  if (nv) {
    probes.push(nv.probe);
    gpus.push(...nv.gpus);
  } else {
    probes.push({ source: 'nvidia-smi', status: 'absent', message: 'nvidia-smi was not found (no NVIDIA driver installed).', durationMs: 0 });
  }
  if (amd) {
    probes.push(amd.probe);
    for (const g of amd.gpus) if (!known(g.busId)) gpus.push(g);
  } else {
    probes.push({ source: 'rocm-smi', status: 'absent', message: 'rocm-smi was not found.', durationMs: 0 });
  }

  // HEARTH_NVIDIA_SMI=none means "nvidia-smi hangs here": si.graphics() would call it anyway.
  const nvidiaDisabled = env['HEARTH_NVIDIA_SMI']?.trim().toLowerCase() === 'none';
  if (nvidiaSmi === null && si && !nvidiaDisabled) {
    const started = deps.clock.now();
    const g = await withTimeout(si.graphics(), siTimeout, deps.clock);
    const found = gpusFromSi(g, platform).filter((x) => !known(x.busId));
    gpus.push(...found.map((x, i) => ({ ...x, index: gpus.length + i })));
    probes.push({
      source: 'systeminformation',
      status: g === null ? 'timeout' : 'ok',
      message: g === null ? 'Listing graphics adapters took too long and was skipped.' : `Listed ${found.length} other graphics adapter(s).`,
      durationMs: deps.clock.now() - started,
    });
  } else if (platform === 'linux' && deps.listDisplays !== undefined) {
    // nvidia-smi exists: find the other adapters (hybrid laptops) from sysfs instead of si.graphics().
    const started = deps.clock.now();
    const displays = await deps.listDisplays();
    const extra = displays.filter((d) => !known(d.busId) && vendorFromPciId(d.vendorId) !== 'nvidia');
    extra.forEach((d) => gpus.push(gpuFromPci(d, gpus.length, platform)));
    probes.push({ source: 'sysfs', status: 'ok', message: `Listed ${extra.length} other graphics adapter(s).`, durationMs: deps.clock.now() - started });
  } else {
    probes.push({ source: 'systeminformation', status: 'skipped', message: 'Skipped: it would call nvidia-smi without a timeout.', durationMs: 0 });
  }

  const [cpu, mem, osInfo] = await basics;
  const inventory: HardwareInventory = {
    detectedAt: deps.clock.now(),
    gpus,
    cpu: toCpuInfo(cpu),
    ram: toRamInfo(mem),
    os: toOsInfo(osInfo),
    probes,
    cpuOnly: !hasUsableGpu(gpus),
  };
  return { inventory, tools: { nvidiaSmi, rocmSmi } };
}

/** Default sysfs lister for Linux. */
export { listPciDisplays };
