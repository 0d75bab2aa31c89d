import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { GpuSample, TelemetryBucket } from '../../common/hardware.ts';
import { realClock } from './clock.ts';
import { createRunTool } from './exec.ts';
import { createNvidiaSource, type GpuSource } from './sources.ts';
import { createTelemetrySampler } from './telemetry.ts';
import { createFakeClock } from './testing/fake-clock.ts';
import { fakeBin } from './testing/paths.ts';

function gpu(deviceId: string, util: number, others = 0): GpuSample {
  return {
    deviceId,
    utilizationPct: util,
    memoryUsedMiB: 100 + util,
    memoryTotalMiB: 8192,
    temperatureC: 40 + util / 10,
    powerDrawW: 50 + util,
    powerLimitW: 250,
    fanPct: 30,
    clockGraphicsMHz: 1500,
    clockMemoryMHz: 7000,
    otherProcesses: Array.from({ length: others }, (_, i) => ({ pid: 500 + i, name: 'python', busId: null, usedMiB: 10, type: 'C', kind: 'compute' as const })),
  };
}

/** A source that counts reads and can be made slow or failing. */
function scripted() {
  let n = 0;
  let fail = false;
  let gate: Promise<void> | null = null;
  const src: GpuSource & { reads: () => number; setFail(v: boolean): void; hold(): () => void } = {
    name: 'fake',
    async read() {
      n++;
      if (gate) await gate;
      if (fail) throw new Error('driver gone');
      return [gpu('nvidia:a', n % 100)];
    },
    reads: () => n,
    setFail: (v) => (fail = v),
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
  return src;
}

const host = () => ({ cpuPct: 5, ramUsedMiB: 1000 });

test('samples every second in the foreground and every 15 s in the background', async () => {
  const clock = createFakeClock();
  const src = scripted();
  const s = createTelemetrySampler({ clock, sources: [src], readHost: host });
  s.setRate('foreground');
  s.start();
  await clock.advance(10_000);
  assert.equal(src.reads(), 11); // at 0 s and each second up to 10 s
  s.setRate('background');
  await clock.advance(60_000);
  assert.ok(src.reads() >= 14 && src.reads() <= 16, String(src.reads()));
  await s.stop();
});

test('coming to the foreground samples at once', async () => {
  const clock = createFakeClock();
  const src = scripted();
  const s = createTelemetrySampler({ clock, sources: [src], readHost: host });
  s.start();
  await clock.advance(1);
  const before = src.reads();
  await clock.advance(2000); // background: nothing new yet
  assert.equal(src.reads(), before);
  s.setRate('foreground');
  await clock.advance(0);
  assert.equal(src.reads(), before + 1);
  await s.stop();
});

test('a slow read is never overlapped by the next tick', async () => {
  const clock = createFakeClock();
  const src = scripted();
  const s = createTelemetrySampler({ clock, sources: [src], readHost: host });
  s.setRate('foreground');
  const release = src.hold();
  s.start();
  await clock.advance(10_000);
  assert.equal(src.reads(), 1);
  release();
  await clock.advance(0); // the late read counts toward the interval: the next one is due at once
  assert.equal(src.reads(), 2);
  await clock.advance(1000);
  assert.equal(src.reads(), 3);
  await s.stop();
});

test('backs off while every source fails, then recovers', async () => {
  const clock = createFakeClock();
  const src = scripted();
  const errors: string[] = [];
  const s = createTelemetrySampler({ clock, sources: [src], readHost: host, maxBackoffMs: 8000, onError: (name) => errors.push(name) });
  s.setRate('foreground');
  src.setFail(true);
  s.start();
  await clock.advance(60_000);
  // 1 s base doubling to the 8 s cap: far fewer than 60 reads.
  assert.ok(src.reads() < 15, String(src.reads()));
  assert.ok(errors.length >= 5);
  src.setFail(false);
  await clock.advance(8000);
  const after = src.reads();
  await clock.advance(5000);
  assert.equal(src.reads(), after + 5);
  await s.stop();
});

test('downsamples into one-minute buckets, writes them to the sink, and keeps history', async () => {
  const clock = createFakeClock(0);
  const written: TelemetryBucket[] = [];
  let n = 0;
  const src: GpuSource = { name: 'fake', read: async () => [gpu('nvidia:a', (n++ % 2) * 100, n > 90 ? 1 : 0)] };
  const s = createTelemetrySampler({ clock, sources: [src], readHost: host, sink: { writeBuckets: (b) => void written.push(...b) } });
  s.setRate('foreground');
  s.start();
  await clock.advance(125_000);
  assert.equal(written.length, 2);
  const [b0, b1] = written;
  assert.equal(b0?.start, 0);
  assert.equal(b0?.end, 60_000);
  assert.equal(b0?.count, 60);
  assert.equal(b0?.utilizationAvg, 50);
  assert.equal(b0?.utilizationMax, 100);
  assert.equal(b0?.busyByOthers, false);
  assert.equal(b1?.busyByOthers, true);
  assert.deepEqual(s.history('nvidia:a'), written);
  assert.equal(s.recent().length, 126);
  await s.stop();
  assert.equal(written.length, 3); // the open window is flushed on stop
});

test('the raw ring keeps only the newest samples', async () => {
  const clock = createFakeClock();
  const s = createTelemetrySampler({ clock, sources: [scripted()], readHost: host, rawCapacity: 5 });
  s.setRate('foreground');
  s.start();
  await clock.advance(20_000);
  const recent = s.recent();
  assert.equal(recent.length, 5);
  assert.equal(recent[4]?.at, s.latest()?.at);
  assert.ok(recent.every((r, i) => i === 0 || r.at > recent[i - 1]!.at));
  await s.stop();
});

test('nvidia source against the fake nvidia-smi: live values and "someone else" minus our worker', async () => {
  const env = { ...process.env, FAKE_NVIDIA_SMI_SCENARIO: 'kde-4080', FAKE_NVIDIA_SMI_FRAME: '1' };
  const run = createRunTool({ clock: realClock, timeoutMs: 20_000, env });
  const own = new Set<number>([5022]);
  const src = createNvidiaSource({ path: path.join(fakeBin('bin'), 'nvidia-smi'), run, clock: realClock, ownPids: () => own });
  const [s] = await src.read();
  assert.equal(s?.deviceId, 'nvidia:00000000:01:00.0');
  assert.ok((s?.utilizationPct ?? 0) > 0);
  assert.deepEqual(s?.otherProcesses.map((p) => p.pid), [5021]); // kwin is desktop, 5022 is ours
  own.add(5021);
  const [again] = await src.read();
  assert.equal(again?.otherProcesses.length, 0);
});
