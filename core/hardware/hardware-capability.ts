/**
 * The hardware capability: detects devices, samples telemetry (1 Hz while a window shows
 * it, slower otherwise), runs benchmarks through the worker, and keeps per-device choices
 * in settings. Other capabilities read `busyByOthers()` for the "someone else" veto.
 */
import { HearthError } from '../../common/errors.ts';
import {
  CPU_DEVICE_ID,
  deviceSettingsFor,
  type BenchmarkRecord,
  type BenchmarkStatus,
  type DeviceSettings,
  type HardwareInventory,
  type TelemetryRate,
  type TelemetrySample,
} from '../../common/hardware.ts';
import type { HardwareView } from '../../common/ipc/groups/hardware.ts';
import type { Capability, CapabilityContext } from '../capability.ts';
import { createWorkerBenchmarkRunner, type BenchmarkRunner } from './benchmark-runner.ts';
import { loadBenchmarks, saveBenchmarks } from './benchmarks-file.ts';
import { createRunTool } from './exec.ts';
import { detectInventory, listPciDisplays } from './inventory.ts';
import { loadSi, type SiLike } from './si-fallback.ts';
import { createNvidiaLoop } from './nvidia-loop.ts';
import { createNvidiaSource, createRocmSource, type GpuSource } from './sources.ts';
import { DEFAULT_INTERVALS, createTelemetrySampler, type TelemetrySampler, type TelemetrySink } from './telemetry.ts';

export type HardwareCapabilityOptions = {
  env?: NodeJS.ProcessEnv;
  /** systeminformation or a fake; null skips it. Default: the real package, loaded lazily. */
  si?: SiLike | null;
  /** Pids of Hearth's inference worker(s), from whoever owns them. */
  ownPids?: () => Iterable<number>;
  benchmarkRunner?: BenchmarkRunner;
  /** History sink (the SQLite ledger, once it exists). */
  sink?: TelemetrySink;
  toolTimeoutMs?: number;
  /** How long a window's "foreground" lasts without being renewed (a closed window stops asking). */
  foregroundLeaseMs?: number;
  intervalsMs?: { foreground: number; background: number };
  /** 'loop' keeps one nvidia-smi running (-lms); 'poll' starts one per sample. */
  nvidiaMode?: 'loop' | 'poll';
};

const IDLE_BENCHMARK: BenchmarkStatus = { state: 'idle', deviceId: null, phase: null, progress: 0, startedAt: null, result: null, error: null };

/** Overall 0..1 progress from the worker benchmark's phases. */
function overallProgress(phase: 'loading' | 'warmup' | 'measuring', done: number, total: number): number {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  if (phase === 'loading') return 0.02;
  if (phase === 'warmup') return 0.05 + 0.1 * f;
  return 0.15 + 0.85 * f;
}

/** Builds the capability. Detection starts in start() and never blocks the app's start. */
export function createHardwareCapability(ctx: CapabilityContext, options: HardwareCapabilityOptions = {}) {
  const { ports, settings } = ctx;
  const env = options.env ?? process.env;
  const run = createRunTool({ clock: ports.clock, timeoutMs: options.toolTimeoutMs ?? 10_000, env });
  const runBenchmark = options.benchmarkRunner ?? createWorkerBenchmarkRunner(ports);
  const leaseMs = options.foregroundLeaseMs ?? 30_000;
  const benchmarkPids = new Set<number>();
  const ownPids = () => [...(options.ownPids?.() ?? []), ...benchmarkPids];

  let inventory: HardwareInventory | null = null;
  let detecting: Promise<HardwareInventory> | null = null;
  let sampler: TelemetrySampler | null = null;
  let rate: TelemetryRate = 'background';
  let foregroundUntil = 0;
  let benchmarks: BenchmarkRecord[] = [];
  let benchmark: BenchmarkStatus = IDLE_BENCHMARK;
  let stopped = false;

  const onSample = (s: TelemetrySample) => {
    if (rate === 'foreground' && ports.clock.now() > foregroundUntil) applyRate('background');
    ctx.emit('hardware:telemetry', s);
  };

  function applyRate(next: TelemetryRate) {
    rate = next;
    sampler?.setRate(next);
  }

  async function rebuildSampler(tools: { nvidiaSmi: string | null; rocmSmi: string | null }, inv: HardwareInventory) {
    await sampler?.stop();
    const sources: GpuSource[] = [];
    const nvidiaGpus = inv.gpus.filter((g) => g.source === 'nvidia-smi').length;
    if (tools.nvidiaSmi && nvidiaGpus > 0) {
      const loop =
        options.nvidiaMode === 'poll'
          ? undefined
          : createNvidiaLoop({
              path: tools.nvidiaSmi,
              clock: ports.clock,
              env,
              intervalMs: (options.intervalsMs ?? DEFAULT_INTERVALS)[rate],
              expectedGpus: nvidiaGpus,
              firstBlockTimeoutMs: options.toolTimeoutMs ?? 10_000,
            });
      sources.push(createNvidiaSource({ path: tools.nvidiaSmi, run, clock: ports.clock, ownPids, ...(loop ? { loop } : {}) }));
    }
    if (tools.rocmSmi && inv.gpus.some((g) => g.source === 'rocm-smi')) sources.push(createRocmSource({ path: tools.rocmSmi, run }));
    let lastError = '';
    sampler = createTelemetrySampler({
      clock: ports.clock,
      sources,
      ...(options.intervalsMs ? { intervalsMs: options.intervalsMs } : {}),
      ...(options.sink ? { sink: options.sink } : {}),
      onSample,
      onError: (source, e) => {
        const message = e instanceof Error ? e.message : String(e);
        // Log a failure once, not every second.
        if (message !== lastError) ports.logger.warn('hardware telemetry failed', { source, error: message });
        lastError = message;
      },
    });
    sampler.setRate(rate);
    if (!stopped) sampler.start();
  }

  function detect(): Promise<HardwareInventory> {
    if (detecting) return detecting;
    detecting = (async () => {
      try {
        const si = options.si === undefined ? await loadSi().catch(() => null) : options.si;
        const { inventory: inv, tools } = await detectInventory({ clock: ports.clock, run, env, si, listDisplays: () => listPciDisplays() });
        inventory = inv;
        for (const p of inv.probes) if (p.status === 'timeout' || p.status === 'failed') ports.logger.warn('hardware probe', { ...p });
        ctx.emit('hardware:inventory', inv);
        await rebuildSampler(tools, inv);
        return inv;
      } finally {
        detecting = null;
      }
    })();
    return detecting;
  }

  const view = (): HardwareView => ({
    inventory,
    detecting: detecting !== null,
    latest: sampler?.latest() ?? null,
    rate,
    benchmarks,
    benchmark,
  });

  function setBenchmark(next: BenchmarkStatus) {
    benchmark = next;
    ctx.emit('hardware:benchmark-progress', next);
  }

  async function benchmarkDevice(deviceId: string): Promise<void> {
    const gpu = inventory?.gpus.find((g) => g.id === deviceId);
    const providers = deviceId === CPU_DEVICE_ID ? (['cpu'] as const) : gpu?.vendor === 'nvidia' ? (['cuda', 'cpu'] as const) : null;
    const startedAt = ports.clock.now();
    setBenchmark({ ...IDLE_BENCHMARK, state: 'running', deviceId, phase: 'loading', progress: 0, startedAt });
    try {
      if (!providers) throw new HearthError('hardware_unsupported', 'Hearth cannot run models on this device, so it cannot benchmark it.');
      const r = await runBenchmark({
        providers: [...providers],
        onProgress: (p) => setBenchmark({ ...benchmark, phase: p.phase, progress: overallProgress(p.phase, p.done, p.total) }),
        onWorkerPid: (pid) => {
          benchmarkPids.clear();
          if (pid !== null) benchmarkPids.add(pid);
        },
      });
      // Score the device that actually ran: a GPU request that fell back to the CPU scores the CPU.
      const ranOn = r.provider === 'cpu' ? CPU_DEVICE_ID : deviceId;
      const record: BenchmarkRecord = { deviceId: ranOn, modelId: r.modelId, provider: r.provider, inferencesPerSecond: r.inferencesPerSecond, iterations: r.iterations, batch: r.batch, elapsedMs: r.elapsedMs, at: ports.clock.now() };
      benchmarks = [...benchmarks.filter((b) => b.deviceId !== ranOn), record];
      await saveBenchmarks(ports.paths.dataDir, benchmarks).catch((e: unknown) => ports.logger.warn('could not save benchmark', { error: String(e) }));
      const fellBack = ranOn !== deviceId;
      setBenchmark({
        ...benchmark,
        state: fellBack ? 'failed' : 'done',
        phase: null,
        progress: 1,
        result: record,
        error: fellBack ? { code: 'hardware_gpu_fallback', message: 'The GPU runtime (CUDA) is not available, so the benchmark ran on the CPU; the score was saved for the CPU.' } : null,
      });
    } catch (e) {
      const err = e instanceof HearthError ? { code: e.code, message: e.message } : { code: 'internal', message: 'The benchmark failed unexpectedly. Try again; if it keeps failing, check the log.' };
      if (!(e instanceof HearthError)) ports.logger.error('benchmark failed', { error: String(e) });
      setBenchmark({ ...benchmark, state: 'failed', phase: null, error: err });
    }
  }

  return {
    handlers: {
      'hardware:list': () => view(),
      'hardware:refresh': async () => {
        await detect();
        return view();
      },
      'hardware:history': ({ deviceId, limit }) => ({
        recent: (sampler?.recent() ?? []).slice(-limit).map((s) => (deviceId ? { ...s, gpus: s.gpus.filter((g) => g.deviceId === deviceId) } : s)),
        buckets: sampler?.history(deviceId) ?? [],
      }),
      'hardware:benchmark': ({ deviceId }) => {
        if (benchmark.state === 'running') throw new HearthError('hardware_benchmark_running', 'A benchmark is already running; wait for it to finish.');
        const known = deviceId === CPU_DEVICE_ID || inventory?.gpus.some((g) => g.id === deviceId);
        if (!known) throw new HearthError('hardware_unknown_device', 'That device is not in the current device list. Refresh the list and try again.');
        void benchmarkDevice(deviceId);
        return benchmark;
      },
      'hardware:benchmark-status': () => benchmark,
      'hardware:set-rate': ({ rate: next }) => {
        if (next === 'foreground') foregroundUntil = ports.clock.now() + leaseMs;
        applyRate(next);
        return { rate };
      },
      'hardware:configure': async ({ deviceId, enabled, vramCapMiB }): Promise<DeviceSettings> => {
        const current = settings.get().hardware;
        const next: DeviceSettings = {
          ...deviceSettingsFor(current, deviceId),
          ...(enabled !== undefined ? { enabled } : {}),
          ...(vramCapMiB !== undefined ? { vramCapMiB } : {}),
        };
        const saved = await settings.update({ hardware: { devices: { ...current.devices, [deviceId]: next } } });
        return deviceSettingsFor(saved.hardware, deviceId);
      },
    },
    async start() {
      benchmarks = await loadBenchmarks(ports.paths.dataDir);
      // Not awaited: a slow or hung driver must not delay the app's start.
      void detect().catch((e: unknown) => ports.logger.error('hardware detection failed', { error: String(e) }));
    },
    async stop() {
      stopped = true;
      await detecting?.catch(() => undefined);
      await sampler?.stop();
    },
    /** Current inventory (null while the first detection runs). */
    inventory: () => inventory,
    /** Latest reading. */
    latest: () => sampler?.latest() ?? null,
    /** The last benchmark of each device (the market agent estimates run times from them). */
    benchmarks: () => benchmarks,
    /** True when a process that is not Hearth's and not the desktop computes on this GPU. */
    busyByOthers: (deviceId: string) => (sampler?.latest()?.gpus.find((g) => g.deviceId === deviceId)?.otherProcesses.length ?? 0) > 0,
  } satisfies Capability & Record<string, unknown>;
}

export type HardwareCapability = ReturnType<typeof createHardwareCapability>;
