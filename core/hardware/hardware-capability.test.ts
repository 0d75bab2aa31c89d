import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { BenchmarkStatus, HardwareInventory, TelemetrySample } from '../../common/hardware.ts';
import type { CapabilityContext, Emit } from '../capability.ts';
import { openSettingsStore } from '../settings/store.ts';
import { tempDir, testPorts } from '../test-support.ts';
import type { BenchmarkRunner } from './benchmark-runner.ts';
import { loadBenchmarks } from './benchmarks-file.ts';
import { createHardwareCapability } from './hardware-capability.ts';
import type { SiLike } from './si-fallback.ts';
import { fakeBin } from './testing/paths.ts';

const si: SiLike = {
  cpu: async () => ({ manufacturer: 'Intel', brand: 'Core i7-12700', physicalCores: 12, cores: 20, speed: 2.1 }),
  mem: async () => ({ total: 16 * 1024 ** 3, available: 8 * 1024 ** 3 }),
  osInfo: async () => ({ platform: 'linux', distro: 'Debian', release: '13', kernel: '6.12', arch: 'x64', hostname: 'box' }),
  graphics: async () => ({ controllers: [] }),
};

async function setup(env: Record<string, string>, runner?: BenchmarkRunner) {
  const tmp = await tempDir();
  const ports = testPorts(tmp.dir);
  const settings = await openSettingsStore(tmp.dir);
  const events: { event: string; payload: unknown }[] = [];
  const waiters: { event: string; pred: (p: unknown) => boolean; resolve: (p: unknown) => void }[] = [];
  const emit: Emit = (event, payload) => {
    events.push({ event, payload });
    for (const w of [...waiters]) {
      if (w.event === event && w.pred(payload)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  };
  const ctx: CapabilityContext = { ports, settings, emit };
  const fullEnv = { PATH: process.env['PATH'] ?? '', HEARTH_ROCM_SMI: 'none', FAKE_NVIDIA_SMI_FRAME: '0', ...env };
  const cap = createHardwareCapability(ctx, {
    env: fullEnv,
    si,
    intervalsMs: { foreground: 50, background: 1000 },
    ...(runner ? { benchmarkRunner: runner } : {}),
  });
  const next = <T>(event: string, pred: (p: T) => boolean = () => true) =>
    new Promise<T>((resolve) => waiters.push({ event, pred: pred as (p: unknown) => boolean, resolve: resolve as (p: unknown) => void }));
  return { tmp, cap, ctx, events, next, settingsDir: tmp.dir };
}

test('with the fake dual-GPU nvidia-smi: inventory of two GPUs and live telemetry events', async () => {
  const s = await setup({ HEARTH_NVIDIA_SMI: path.join(fakeBin('bin'), 'nvidia-smi') });
  try {
    const inv = s.next<HardwareInventory>('hardware:inventory');
    await s.cap.start();
    const inventory = await inv;
    assert.equal(inventory.gpus.length, 2);
    assert.equal(inventory.cpuOnly, false);
    s.cap.handlers['hardware:set-rate']({ rate: 'foreground' });
    const sample = await s.next<TelemetrySample>('hardware:telemetry', (p) => p.gpus.length === 2);
    assert.deepEqual(sample.gpus.map((g) => g.temperatureC), [14, 13]);
    const view = s.cap.handlers['hardware:list']();
    assert.equal(view.rate, 'foreground');
    assert.equal(view.inventory?.gpus.length, 2);
    assert.equal(s.cap.busyByOthers('nvidia:00000000:01:00.0'), false);
  } finally {
    await s.cap.stop();
    await s.tmp.cleanup();
  }
});

test('without any GPU tool: CPU-only inventory', async () => {
  const s = await setup({ HEARTH_NVIDIA_SMI: 'none' });
  try {
    const inv = s.next<HardwareInventory>('hardware:inventory');
    await s.cap.start();
    const inventory = await inv;
    assert.equal(inventory.gpus.length, 0);
    assert.equal(inventory.cpuOnly, true);
    assert.equal(inventory.cpu.model, 'Intel Core i7-12700');
  } finally {
    await s.cap.stop();
    await s.tmp.cleanup();
  }
});

test('per-device enable and VRAM cap are persisted in settings', async () => {
  const s = await setup({ HEARTH_NVIDIA_SMI: 'none' });
  try {
    const id = 'nvidia:00000000:01:00.0';
    assert.deepEqual(await s.cap.handlers['hardware:configure']({ deviceId: id, enabled: false }), { enabled: false, vramCapMiB: null });
    assert.deepEqual(await s.cap.handlers['hardware:configure']({ deviceId: id, vramCapMiB: 4096 }), { enabled: false, vramCapMiB: 4096 });
    const reopened = await openSettingsStore(s.settingsDir);
    assert.deepEqual(reopened.get().hardware.devices[id], { enabled: false, vramCapMiB: 4096 });
  } finally {
    await s.tmp.cleanup();
  }
});

test('benchmark: progress events, stored score; a GPU run that fell back to CPU is scored for the CPU', async () => {
  let provider: 'cpu' | 'cuda' = 'cpu';
  const runner: BenchmarkRunner = async (req) => {
    req.onProgress({ phase: 'loading', done: 0, total: 4 });
    for (let i = 1; i <= 4; i++) {
      await new Promise((r) => setImmediate(r));
      req.onProgress({ phase: 'measuring', done: i, total: 4 });
    }
    return { modelId: 'paddleocr-rec-v4', provider, inferencesPerSecond: 123.4, iterations: 4, batch: 1, elapsedMs: 32 };
  };
  const s = await setup({ HEARTH_NVIDIA_SMI: path.join(fakeBin('bin'), 'nvidia-smi') }, runner);
  try {
    const inv = s.next<HardwareInventory>('hardware:inventory');
    await s.cap.start();
    await inv;
    const done = s.next<BenchmarkStatus>('hardware:benchmark-progress', (p) => p.state !== 'running');
    const started = s.cap.handlers['hardware:benchmark']({ deviceId: 'cpu' });
    assert.equal(started.state, 'running');
    assert.throws(() => s.cap.handlers['hardware:benchmark']({ deviceId: 'cpu' }), /already running/);
    const final = await done;
    assert.equal(final.state, 'done');
    assert.equal(final.result?.inferencesPerSecond, 123.4);
    const progress = s.events.filter((e) => e.event === 'hardware:benchmark-progress').map((e) => (e.payload as BenchmarkStatus).progress);
    assert.ok(progress.every((p, i) => i === 0 || p >= progress[i - 1]!), 'progress never goes back');
    assert.deepEqual((await loadBenchmarks(s.settingsDir)).map((b) => b.deviceId), ['cpu']);

    const gpuDone = s.next<BenchmarkStatus>('hardware:benchmark-progress', (p) => p.state !== 'running');
    s.cap.handlers['hardware:benchmark']({ deviceId: 'nvidia:00000000:02:00.0' });
    const fellBack = await gpuDone;
    assert.equal(fellBack.state, 'failed');
    assert.equal(fellBack.error?.code, 'hardware_gpu_fallback');
    assert.equal(fellBack.result?.deviceId, 'cpu');

    provider = 'cuda';
    const gpuOk = s.next<BenchmarkStatus>('hardware:benchmark-progress', (p) => p.state !== 'running');
    s.cap.handlers['hardware:benchmark']({ deviceId: 'nvidia:00000000:02:00.0' });
    assert.equal((await gpuOk).state, 'done');
    assert.deepEqual((await loadBenchmarks(s.settingsDir)).map((b) => b.deviceId).sort(), ['cpu', 'nvidia:00000000:02:00.0']);
    assert.throws(() => s.cap.handlers['hardware:benchmark']({ deviceId: 'nvidia:nope' }), /not in the current device list/);
  } finally {
    await s.cap.stop();
    await s.tmp.cleanup();
  }
});
