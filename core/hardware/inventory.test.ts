import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { realClock } from './clock.ts';
import { createRunTool } from './exec.ts';
import { detectInventory, type InventoryDeps } from './inventory.ts';
import type { SiLike } from './si-fallback.ts';
import type { PciDisplay } from './sysfs.ts';
import { fakeBin } from './testing/paths.ts';

type Graphics = Awaited<ReturnType<SiLike['graphics']>>;

function fakeSi(graphics: Graphics = { controllers: [] }): SiLike & { graphicsCalls: number } {
  const si = {
    graphicsCalls: 0,
    cpu: async () => ({ manufacturer: 'AMD', brand: 'Ryzen 7 5800X', physicalCores: 8, cores: 16, speed: 3.8 }),
    mem: async () => ({ total: 32 * 1024 ** 3, available: 20 * 1024 ** 3 }),
    osInfo: async () => ({ platform: 'linux', distro: 'Debian GNU/Linux', release: '13', kernel: '6.12.0', arch: 'x64', hostname: 'rig' }),
    graphics: async () => {
      si.graphicsCalls++;
      return graphics;
    },
  };
  return si;
}

const smi = (kind: Parameters<typeof fakeBin>[0]) => path.join(fakeBin(kind), 'nvidia-smi');

function deps(env: Record<string, string>, si: SiLike, extra: Partial<InventoryDeps> = {}): InventoryDeps {
  const fullEnv = { PATH: process.env['PATH'] ?? '', FAKE_NVIDIA_SMI_FRAME: '0', HEARTH_ROCM_SMI: 'none', ...env };
  return {
    clock: realClock,
    run: createRunTool({ clock: realClock, timeoutMs: 20_000, env: fullEnv }),
    env: fullEnv,
    platform: 'linux',
    si,
    ...extra,
  };
}

test('fake dual-GPU nvidia-smi via HEARTH_NVIDIA_SMI: both GPUs, CUDA from XML, si.graphics never called', async () => {
  const si = fakeSi();
  const { inventory, tools } = await detectInventory(deps({ HEARTH_NVIDIA_SMI: smi('bin') }, si));
  assert.equal(tools.nvidiaSmi, smi('bin'));
  assert.equal(inventory.gpus.length, 2);
  assert.deepEqual(inventory.gpus.map((g) => g.busId), ['00000000:01:00.0', '00000000:02:00.0']);
  assert.ok(inventory.gpus.every((g) => g.cudaVersion === '13.1' && g.vramMiB === 8192));
  assert.equal(inventory.cpuOnly, false);
  assert.equal(si.graphicsCalls, 0);
  assert.equal(inventory.probes.find((p) => p.source === 'nvidia-smi')?.status, 'ok');
  assert.equal(inventory.cpu.model, 'AMD Ryzen 7 5800X');
  assert.equal(inventory.ram.totalMiB, 32768);
});

test('fake nvidia-smi first on PATH, no XML recorded: falls back to CSV (with compute capability)', async () => {
  const si = fakeSi();
  const { inventory } = await detectInventory(
    deps({ PATH: `${fakeBin('bin')}${path.delimiter}${process.env['PATH']}`, FAKE_NVIDIA_SMI_SCENARIO: 'kde-4080' }, si),
  );
  assert.equal(inventory.gpus.length, 1);
  assert.equal(inventory.gpus[0]?.name, 'NVIDIA GeForce RTX 4080 SUPER');
  assert.equal(inventory.gpus[0]?.computeCapability, '8.9');
  assert.equal(si.graphicsCalls, 0);
});

test('nvidia-smi that fails: a failed probe with the driver message, CPU-only, no si.graphics', async () => {
  const si = fakeSi();
  const { inventory } = await detectInventory(deps({ HEARTH_NVIDIA_SMI: smi('bin-fail') }, si));
  const probe = inventory.probes.find((p) => p.source === 'nvidia-smi');
  assert.equal(probe?.status, 'failed');
  assert.match(probe?.message ?? '', /couldn't communicate with the NVIDIA driver/);
  assert.equal(inventory.gpus.length, 0);
  assert.equal(inventory.cpuOnly, true);
  assert.equal(si.graphicsCalls, 0);
});

test('nvidia-smi that hangs: a timeout probe, and detection still completes', async () => {
  const fullEnv = { PATH: process.env['PATH'] ?? '', HEARTH_NVIDIA_SMI: smi('bin-hang'), HEARTH_ROCM_SMI: 'none' };
  const { inventory } = await detectInventory({
    ...deps(fullEnv, fakeSi()),
    run: createRunTool({ clock: realClock, timeoutMs: 300, env: fullEnv }),
  });
  assert.equal(inventory.probes.find((p) => p.source === 'nvidia-smi')?.status, 'timeout');
  assert.equal(inventory.cpuOnly, true);
});

test('nvidia-smi printing garbage: no GPU invented', async () => {
  const { inventory } = await detectInventory(deps({ HEARTH_NVIDIA_SMI: smi('bin-garbage') }, fakeSi()));
  assert.equal(inventory.gpus.length, 0);
  const probe = inventory.probes.find((p) => p.source === 'nvidia-smi');
  assert.equal(probe?.status, 'failed');
  assert.match(probe?.message ?? '', /could not read\. The XML ends before its closing <\/nvidia_smi_log>/);
  assert.equal(inventory.cpuOnly, true);
});

test('no nvidia-smi: systeminformation lists adapters; an NVIDIA card without driver says what to do', async () => {
  const si = fakeSi({
    controllers: [
      { vendor: 'Intel Corporation', model: 'UHD Graphics 770', vram: 256, vramDynamic: true, busAddress: '00:02.0' },
      { vendor: 'NVIDIA Corporation', model: 'GA104 [GeForce RTX 3070]', vram: 8192, busAddress: '01:00.0' },
    ],
  });
  const { inventory } = await detectInventory(deps({ PATH: '/nonexistent' }, si, { platform: 'freebsd' as NodeJS.Platform }));
  assert.equal(si.graphicsCalls, 1);
  assert.equal(inventory.gpus.length, 2);
  const [intel, nv] = inventory.gpus;
  assert.equal(intel?.integrated, true);
  assert.equal(intel?.support.status, 'unsupported');
  assert.match(nv?.support.action ?? '', /Install or repair the NVIDIA driver/);
  assert.equal(inventory.cpuOnly, true);
});

test('HEARTH_NVIDIA_SMI=none: no NVIDIA probe and no si.graphics (which would call nvidia-smi itself)', async () => {
  const si = fakeSi();
  const { inventory, tools } = await detectInventory(deps({ HEARTH_NVIDIA_SMI: 'none' }, si));
  assert.equal(tools.nvidiaSmi, null);
  assert.equal(si.graphicsCalls, 0);
  assert.equal(inventory.cpuOnly, true);
});

test('hybrid laptop: NVIDIA from nvidia-smi plus the Intel iGPU from sysfs', async () => {
  const displays: PciDisplay[] = [
    { busId: '00000000:00:02.0', vendorId: '8086', deviceId: '46a6', bootVga: true },
    { busId: '00000000:01:00.0', vendorId: '10de', deviceId: '1f02', bootVga: false },
  ];
  const si = fakeSi();
  const { inventory } = await detectInventory(deps({ HEARTH_NVIDIA_SMI: smi('bin') }, si, { listDisplays: async () => displays }));
  assert.equal(inventory.gpus.length, 3);
  const intel = inventory.gpus.find((g) => g.vendor === 'intel');
  assert.equal(intel?.integrated, true);
  assert.equal(intel?.source, 'sysfs');
  assert.equal(si.graphicsCalls, 0);
  assert.equal(inventory.cpuOnly, false);
});

test('AMD through rocm-smi', async () => {
  const { inventory } = await detectInventory(
    deps({ HEARTH_NVIDIA_SMI: 'none', HEARTH_ROCM_SMI: path.join(fakeBin('bin-rocm'), 'rocm-smi') }, fakeSi()),
  );
  assert.equal(inventory.gpus.filter((g) => g.source === 'rocm-smi').length, 2);
  assert.equal(inventory.probes.find((p) => p.source === 'rocm-smi')?.status, 'ok');
  assert.equal(inventory.cpuOnly, true);
});
