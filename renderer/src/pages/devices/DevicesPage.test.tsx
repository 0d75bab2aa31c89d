import '../../test/dom.ts';
import { renderWithCore } from '../../test/render.ts';
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import type { BenchmarkStatus, GpuDevice, HardwareInventory, TelemetrySample } from '../../../../common/hardware.ts';
import type { ClientTransport } from '../../../../common/ipc/client.ts';
import type { HardwareView } from '../../../../common/ipc/groups/hardware.ts';
import { defaultSettings } from '../../../../common/settings.ts';


let rtl: typeof import('@testing-library/react');
let React: typeof import('react');
let page: typeof import('../DevicesPage.tsx');

before(async () => {
  rtl = await import('@testing-library/react');
  React = await import('react');
  page = await import('../DevicesPage.tsx');
});

afterEach(() => rtl.cleanup());

function gpu(index: number, bus: string): GpuDevice {
  return {
    id: `nvidia:00000000:${bus}:00.0`,
    index,
    vendor: 'nvidia',
    name: 'NVIDIA GeForce RTX 2070',
    nameReported: true,
    uuid: null,
    busId: `00000000:${bus}:00.0`,
    vramMiB: 8192,
    driverVersion: '590.44.01',
    cudaVersion: '13.1',
    computeCapability: null,
    migEnabled: null,
    migInstances: [],
    virtualization: 'none',
    driverModel: null,
    integrated: false,
    source: 'nvidia-smi',
    support: { status: 'supported', reason: 'NVIDIA GPU with CUDA.', action: '' },
  };
}

function inventory(gpus: GpuDevice[]): HardwareInventory {
  return {
    detectedAt: 1,
    gpus,
    cpu: { vendor: 'AMD', model: 'AMD Ryzen 7 5800X', physicalCores: 8, logicalCores: 16, speedGHz: 3.8, arch: 'x64' },
    ram: { totalMiB: 32768, availableMiB: 20000 },
    os: { platform: 'linux', distro: 'Debian', release: '13', kernel: '6.12', arch: 'x64', hostname: 'rig' },
    probes: gpus.length ? [] : [{ source: 'nvidia-smi', status: 'absent', message: 'nvidia-smi was not found.', durationMs: 0 }],
    cpuOnly: gpus.length === 0,
  };
}

function sample(at: number, util: number, temps: number[]): TelemetrySample {
  return {
    at,
    cpuPct: 12,
    ramUsedMiB: 4096,
    gpus: temps.map((t, i) => ({
      deviceId: `nvidia:00000000:0${i + 1}:00.0`,
      utilizationPct: util,
      memoryUsedMiB: 1024,
      memoryTotalMiB: 8192,
      temperatureC: t,
      powerDrawW: 100,
      powerLimitW: 175,
      fanPct: 35,
      clockGraphicsMHz: 1500,
      clockMemoryMHz: 7000,
      otherProcesses: [],
    })),
  };
}

const idle: BenchmarkStatus = { state: 'idle', deviceId: null, phase: null, progress: 0, startedAt: null, result: null, error: null };

/** A transport answering from canned data, recording calls, able to push events. */
function fakeCore(view: HardwareView) {
  const calls: { channel: string; payload: unknown }[] = [];
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  const transport: ClientTransport = {
    async request(channel, payload) {
      calls.push({ channel, payload });
      switch (channel) {
        case 'hardware:list':
        case 'hardware:refresh':
          return { ok: true, value: view };
        case 'hardware:history':
          return { ok: true, value: { recent: view.latest ? [view.latest] : [], buckets: [] } };
        case 'hardware:set-rate':
          return { ok: true, value: { rate: (payload as { rate: string }).rate } };
        case 'hardware:benchmark':
          return { ok: true, value: { ...idle, state: 'running', deviceId: (payload as { deviceId: string }).deviceId, phase: 'loading', progress: 0.02, startedAt: 1 } };
        case 'settings:get':
          return { ok: true, value: defaultSettings() };
        case 'app:status':
          return { ok: false, code: 'unavailable', message: 'not in this test' };
        default:
          return { ok: false, code: 'unknown', message: channel };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = async (channel: string, payload: unknown): Promise<void> => {
    await rtl.act(async () => {
      listeners.forEach((l) => l(channel, payload));
    });
  };
  return { transport, calls, emit };
}

function renderPage(core: ReturnType<typeof fakeCore>) {
  return renderWithCore(React.createElement(page.DevicesPage), core);
}

test('two GPUs: facts, live gauges that follow telemetry events, foreground rate requested', async () => {
  const core = fakeCore({ inventory: inventory([gpu(0, '01'), gpu(1, '02')]), detecting: false, latest: sample(1000, 10, [40, 41]), rate: 'background', benchmarks: [], benchmark: idle });
  const view = renderPage(core);
  try {
    const cards = await rtl.waitFor(() => {
      const found = view.container.querySelectorAll('[data-device-id^="nvidia:"]');
      assert.equal(found.length, 2);
      return found;
    });
    assert.match(cards[0]!.textContent ?? '', /NVIDIA GeForce RTX 2070/);
    assert.match(cards[1]!.textContent ?? '', /00000000:02:00\.0/);
    assert.match(cards[0]!.textContent ?? '', /590\.44\.01/);
    assert.ok(core.calls.some((c) => c.channel === 'hardware:set-rate' && (c.payload as { rate: string }).rate === 'foreground'));
    const utilGauge = () => cards[0]!.querySelector('[role="meter"][aria-label="Utilisation"]')?.getAttribute('aria-valuenow');
    await rtl.waitFor(() => assert.equal(utilGauge(), '10'));
    await core.emit('hardware:telemetry', sample(2000, 87, [66, 41]));
    await rtl.waitFor(() => assert.equal(utilGauge(), '87'));
    assert.match(cards[0]!.textContent ?? '', /66°/);
    assert.doesNotMatch(view.container.textContent ?? '', /No supported GPU was found/);
  } finally {
    view.stop();
  }
});

test('no GPU: the CPU is shown and the page says plainly what to do', async () => {
  const core = fakeCore({ inventory: inventory([]), detecting: false, latest: null, rate: 'background', benchmarks: [], benchmark: idle });
  const view = renderPage(core);
  try {
    await rtl.waitFor(() => assert.match(view.container.textContent ?? '', /No supported GPU was found/));
    assert.match(view.container.textContent ?? '', /install or update the NVIDIA driver/);
    assert.ok(view.container.querySelector('[data-device-id="cpu"]'));
    assert.match(view.container.textContent ?? '', /AMD Ryzen 7 5800X/);
  } finally {
    view.stop();
  }
});

test('Run benchmark: calls core, shows a progress bar from progress events, then the score', async () => {
  const core = fakeCore({ inventory: inventory([]), detecting: false, latest: null, rate: 'background', benchmarks: [], benchmark: idle });
  const view = renderPage(core);
  try {
    const button = await rtl.waitFor(() => {
      const b = view.container.querySelector<HTMLButtonElement>('[data-testid="benchmark-cpu"]');
      assert.ok(b);
      return b;
    });
    await rtl.act(async () => button.click());
    assert.ok(core.calls.some((c) => c.channel === 'hardware:benchmark' && (c.payload as { deviceId: string }).deviceId === 'cpu'));
    await core.emit('hardware:benchmark-progress', { ...idle, state: 'running', deviceId: 'cpu', phase: 'measuring', progress: 0.5, startedAt: 1 });
    const bar = await rtl.waitFor(() => {
      const b = view.container.querySelector('[data-device-id="cpu"] [role="progressbar"]');
      assert.ok(b);
      return b;
    });
    assert.equal(bar.getAttribute('aria-valuenow'), '50');
  } finally {
    view.stop();
  }
});
