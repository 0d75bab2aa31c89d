/**
 * Telemetry sources: one call per tick per vendor tool, plus CPU and RAM from Node's os
 * module (cheap, no child process).
 */
import os from 'node:os';
import type { GpuProcess, GpuSample } from '../../common/hardware.ts';
import type { HardwareClock } from './clock.ts';
import type { RunTool } from './exec.ts';
import {
  COMPUTE_APPS_FIELDS,
  TELEMETRY_FIELDS,
  parseComputeAppsCsv,
  parseTelemetryCsv,
  queryArgs,
} from './nvidia-query.ts';
import type { NvidiaLoop } from './nvidia-loop.ts';
import { parseNvidiaXml } from './nvidia-xml.ts';
import { ROCM_ARGS, parseRocmSmiJson } from './rocm.ts';
import { elapsedSince } from '../elapsed.ts';

/** Something that reads all its GPUs once. */
export type GpuSource = {
  name: string;
  read(): Promise<GpuSample[]>;
  /** Told the sampler's interval when it changes (loop-mode sources restart with it). */
  setIntervalMs?(ms: number): void;
  /** Releases long-lived child processes. */
  close?(): void;
};

export type NvidiaSourceOptions = {
  path: string;
  run: RunTool;
  clock: HardwareClock;
  /** Hearth's own worker pids, read at every sample (workers restart). */
  ownPids: () => Iterable<number>;
  /** Minimum gap between XML look-ups of process types. */
  typeLookupEveryMs?: number;
  /**
   * Minimum gap between process-list queries. Each nvidia-smi start costs Hearth ~3 ms of
   * CPU, and who else is on the GPU changes far less often than once a second.
   */
  processesEveryMs?: number;
  /**
   * Where the GPU query CSV comes from. Default: run nvidia-smi once per read. The
   * capability passes a loop-mode reader (nvidia-loop.ts), which is far cheaper at 1 Hz.
   */
  loop?: NvidiaLoop;
};

/**
 * NVIDIA telemetry from cheap CSV queries. The compute-apps CSV has no process type,
 * so when an unrecognised process shows up we ask `-q -x` once for its type (C, G, C+G)
 * and remember it: on Windows every GUI app is listed and only the type tells them apart.
 */
export function createNvidiaSource(opts: NvidiaSourceOptions): GpuSource & { processTypes: ReadonlyMap<number, string> } {
  const types = new Map<number, string>();
  let lastLookup = -Infinity;
  let lastApps = -Infinity;
  let appsCsv: string | null = null;
  const typeEvery = opts.typeLookupEveryMs ?? 30_000;
  const appsEvery = opts.processesEveryMs ?? 5000;

  async function learnTypes(): Promise<void> {
    lastLookup = opts.clock.now();
    try {
      const { stdout } = await opts.run(opts.path, ['-q', '-x']);
      for (const p of parseNvidiaXml(stdout).processes) if (p.type) types.set(p.pid, p.type);
    } catch {
      // keep the name-based classification
    }
  }

  async function readApps(): Promise<void> {
    lastApps = opts.clock.now();
    try {
      appsCsv = (await opts.run(opts.path, queryArgs('compute-apps', COMPUTE_APPS_FIELDS))).stdout;
    } catch {
      appsCsv = null; // unknown: better no veto than a stale one
    }
  }

  return {
    name: 'nvidia-smi',
    processTypes: types,
    setIntervalMs: (ms) => opts.loop?.setIntervalMs(ms),
    close: () => opts.loop?.close(),
    async read() {
      const appsDue = elapsedSince(opts.clock.now(), lastApps) >= appsEvery;
      const gpuCsv = opts.loop ? opts.loop.latestCsv() : opts.run(opts.path, queryArgs('gpu', TELEMETRY_FIELDS)).then((r) => r.stdout);
      const [csv] = await Promise.all([gpuCsv, appsDue ? readApps() : null]);
      const { items: samples, rejected } = parseTelemetryCsv(csv, TELEMETRY_FIELDS);
      if (samples.length === 0 && rejected > 0) throw new Error('nvidia-smi printed something Hearth could not read.');
      // Re-classified every tick: our worker pids change when a worker restarts.
      const classify = () =>
        appsCsv === null ? [] : parseComputeAppsCsv(appsCsv, { ownPids: new Set(opts.ownPids()), knownTypes: types }).items;
      let procs: GpuProcess[] = classify();
      const unknown = procs.some((p) => p.kind === 'compute' && !types.has(p.pid));
      if (appsDue && unknown && elapsedSince(opts.clock.now(), lastLookup) >= typeEvery) {
        await learnTypes();
        procs = classify();
      }
      if (appsDue) {
        // Forget pids that are gone so the map cannot grow without bound.
        const live = new Set(procs.map((p) => p.pid));
        for (const pid of types.keys()) if (!live.has(pid)) types.delete(pid);
      }
      const busOf = (deviceId: string) => deviceId.slice(deviceId.indexOf(':') + 1).toUpperCase();
      return samples.map((s) => ({
        ...s,
        otherProcesses: procs.filter((p) => p.kind === 'compute' && (p.busId === null ? samples.length === 1 : p.busId === busOf(s.deviceId))),
      }));
    },
  };
}

/** AMD telemetry from one rocm-smi call. */
export function createRocmSource(opts: { path: string; run: RunTool }): GpuSource {
  return {
    name: 'rocm-smi',
    async read() {
      const { stdout } = await opts.run(opts.path, ROCM_ARGS);
      return parseRocmSmiJson(stdout).samples;
    },
  };
}

/** CPU utilisation since the previous call, from os.cpus() tick counters. */
export function createCpuMeter(): () => { cpuPct: number | null; ramUsedMiB: number } {
  let prev: { idle: number; total: number } | null = null;
  return () => {
    let idle = 0;
    let total = 0;
    for (const c of os.cpus()) {
      const t = c.times;
      idle += t.idle;
      total += t.user + t.nice + t.sys + t.idle + t.irq;
    }
    let cpuPct: number | null = null;
    if (prev && total > prev.total) cpuPct = Math.max(0, Math.min(100, (1 - (idle - prev.idle) / (total - prev.total)) * 100));
    prev = { idle, total };
    return { cpuPct, ramUsedMiB: Math.round((os.totalmem() - os.freemem()) / 1048576) };
  };
}
