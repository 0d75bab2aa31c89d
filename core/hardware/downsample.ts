/**
 * Folds 1 Hz samples into fixed windows (one TelemetryBucket per device per window),
 * the unit kept for charts and written to the ledger.
 */
import type { GpuSample, TelemetryBucket } from '../../common/hardware.ts';

type Acc = {
  start: number;
  end: number;
  count: number;
  utilSum: number;
  utilN: number;
  utilMax: number | null;
  memMax: number | null;
  tempMax: number | null;
  powerSum: number;
  powerN: number;
  busy: boolean;
};

const max = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.max(a, b));

export class Downsampler {
  private readonly open = new Map<string, Acc>();
  constructor(readonly bucketMs: number) {
    if (!(bucketMs > 0)) throw new RangeError('bucketMs must be positive.');
  }

  /** Adds one device reading; returns the buckets this closed (a reading in a later window closes the earlier one). */
  add(at: number, s: GpuSample): TelemetryBucket[] {
    const start = Math.floor(at / this.bucketMs) * this.bucketMs;
    const closed: TelemetryBucket[] = [];
    let acc = this.open.get(s.deviceId);
    if (acc && acc.start !== start) {
      closed.push(this.finish(s.deviceId, acc));
      acc = undefined;
    }
    if (!acc) {
      acc = { start, end: start + this.bucketMs, count: 0, utilSum: 0, utilN: 0, utilMax: null, memMax: null, tempMax: null, powerSum: 0, powerN: 0, busy: false };
      this.open.set(s.deviceId, acc);
    }
    acc.count++;
    if (s.utilizationPct !== null) {
      acc.utilSum += s.utilizationPct;
      acc.utilN++;
    }
    acc.utilMax = max(acc.utilMax, s.utilizationPct);
    acc.memMax = max(acc.memMax, s.memoryUsedMiB);
    acc.tempMax = max(acc.tempMax, s.temperatureC);
    if (s.powerDrawW !== null) {
      acc.powerSum += s.powerDrawW;
      acc.powerN++;
    }
    acc.busy ||= s.otherProcesses.length > 0;
    return closed;
  }

  /** Closes every open window whose end is at or before `now` (a device that stopped reporting). */
  flushUntil(now: number): TelemetryBucket[] {
    const out: TelemetryBucket[] = [];
    for (const [id, acc] of this.open) {
      if (acc.end <= now) {
        out.push(this.finish(id, acc));
        this.open.delete(id);
      }
    }
    return out;
  }

  /** Closes everything (on stop). */
  flushAll(): TelemetryBucket[] {
    const out = [...this.open].map(([id, acc]) => this.finish(id, acc));
    this.open.clear();
    return out;
  }

  private finish(deviceId: string, a: Acc): TelemetryBucket {
    return {
      deviceId,
      start: a.start,
      end: a.end,
      count: a.count,
      utilizationAvg: a.utilN ? a.utilSum / a.utilN : null,
      utilizationMax: a.utilMax,
      memoryUsedMax: a.memMax,
      temperatureMax: a.tempMax,
      powerAvg: a.powerN ? a.powerSum / a.powerN : null,
      busyByOthers: a.busy,
    };
  }
}
