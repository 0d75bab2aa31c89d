/**
 * The telemetry sampler: reads every GPU about once a second while a window shows it,
 * slower in the background, never overlapping reads (a slow nvidia-smi delays the next
 * tick instead of piling up), backing off while the tool keeps failing, and folding
 * samples into buckets for history and the ledger.
 */
import type { GpuSample, TelemetryBucket, TelemetryRate, TelemetrySample } from '../../common/hardware.ts';
import type { HardwareClock } from './clock.ts';
import { Downsampler } from './downsample.ts';
import { Ring } from './ring.ts';
import { createCpuMeter, type GpuSource } from './sources.ts';

/**
 * Where downsampled history goes. The in-memory ring is the only one today; the SQLite
 * ledger implements this later. Called with each batch of closed buckets, in time order.
 */
export interface TelemetrySink {
  writeBuckets(buckets: readonly TelemetryBucket[]): void | Promise<void>;
}

export type SamplerOptions = {
  clock: HardwareClock;
  sources: readonly GpuSource[];
  /** CPU/RAM reader; defaults to Node's os counters. */
  readHost?: () => { cpuPct: number | null; ramUsedMiB: number | null };
  intervalsMs?: { foreground: number; background: number };
  /** Longest wait between attempts while every source fails. */
  maxBackoffMs?: number;
  bucketMs?: number;
  rawCapacity?: number;
  bucketCapacity?: number;
  sink?: TelemetrySink;
  onSample?: (s: TelemetrySample) => void;
  onError?: (source: string, e: unknown) => void;
};

export type TelemetrySampler = {
  start(): void;
  stop(): Promise<void>;
  setRate(rate: TelemetryRate): void;
  readonly rate: TelemetryRate;
  readonly running: boolean;
  /** Takes one sample now (outside the schedule) and records it. */
  sampleNow(): Promise<TelemetrySample>;
  latest(): TelemetrySample | undefined;
  /** Raw recent samples, oldest first. */
  recent(): TelemetrySample[];
  /** Downsampled history for one device (or all), oldest first. */
  history(deviceId?: string): TelemetryBucket[];
};

export const DEFAULT_INTERVALS = { foreground: 1000, background: 15_000 } as const;

/** Creates a sampler; it does nothing until start(). */
export function createTelemetrySampler(opts: SamplerOptions): TelemetrySampler {
  const { clock } = opts;
  const intervals = opts.intervalsMs ?? DEFAULT_INTERVALS;
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  const readHost = opts.readHost ?? createCpuMeter();
  const raw = new Ring<TelemetrySample>(opts.rawCapacity ?? 300);
  const buckets = new Ring<TelemetryBucket>(opts.bucketCapacity ?? 1440 * 4);
  const down = new Downsampler(opts.bucketMs ?? 60_000);
  let rate: TelemetryRate = 'background';
  let running = false;
  let timer: ReturnType<HardwareClock['setTimeout']> | null = null;
  let inFlight: Promise<TelemetrySample> | null = null;
  let failures = 0;

  const emitBuckets = (closed: TelemetryBucket[]) => {
    if (closed.length === 0) return;
    for (const b of closed) buckets.push(b);
    if (opts.sink) {
      try {
        void Promise.resolve(opts.sink.writeBuckets(closed)).catch((e: unknown) => opts.onError?.('sink', e));
      } catch (e) {
        opts.onError?.('sink', e);
      }
    }
  };

  async function readOnce(): Promise<TelemetrySample> {
    const results = await Promise.allSettled(opts.sources.map((s) => s.read()));
    let anyOk = opts.sources.length === 0;
    const gpus: GpuSample[] = [];
    results.forEach((r, i) => {
      const src = opts.sources[i]!;
      if (r.status === 'fulfilled') {
        anyOk = true;
        gpus.push(...r.value);
      } else {
        opts.onError?.(src.name, r.reason);
      }
    });
    failures = anyOk ? 0 : failures + 1;
    const host = readHost();
    const sample: TelemetrySample = { at: clock.now(), gpus, cpuPct: host.cpuPct, ramUsedMiB: host.ramUsedMiB };
    raw.push(sample);
    const closed: TelemetryBucket[] = [];
    for (const g of gpus) closed.push(...down.add(sample.at, g));
    closed.push(...down.flushUntil(Math.floor(sample.at / down.bucketMs) * down.bucketMs));
    emitBuckets(closed);
    opts.onSample?.(sample);
    return sample;
  }

  function sampleNow(): Promise<TelemetrySample> {
    // Share a read in progress rather than starting a second nvidia-smi.
    if (!inFlight) inFlight = readOnce().finally(() => (inFlight = null));
    return inFlight;
  }

  function delay(): number {
    const base = intervals[rate];
    if (failures === 0) return base;
    return Math.min(maxBackoff, Math.max(base, base * 2 ** Math.min(failures, 10)));
  }

  function schedule(ms: number) {
    if (!running) return;
    if (timer !== null) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = null;
      void tick();
    }, ms);
  }

  async function tick() {
    if (!running) return;
    const started = clock.now();
    try {
      await sampleNow();
    } catch (e) {
      opts.onError?.('sampler', e);
    }
    // Fixed rate: the time the read took counts toward the interval.
    if (running && timer === null) schedule(Math.max(0, delay() - (clock.now() - started)));
  }

  return {
    start() {
      if (running) return;
      running = true;
      for (const src of opts.sources) src.setIntervalMs?.(intervals[rate]);
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight.catch(() => undefined);
      for (const src of opts.sources) src.close?.();
      emitBuckets(down.flushAll());
    },
    setRate(next) {
      const faster = intervals[next] < intervals[rate];
      rate = next;
      for (const src of opts.sources) src.setIntervalMs?.(intervals[next]);
      // Coming to the foreground: sample now rather than after a long background wait.
      if (running && faster && !inFlight) schedule(0);
    },
    get rate() {
      return rate;
    },
    get running() {
      return running;
    },
    sampleNow,
    latest: () => raw.last(),
    recent: () => raw.toArray(),
    history: (deviceId) => buckets.toArray().filter((b) => deviceId === undefined || b.deviceId === deviceId),
  };
}
