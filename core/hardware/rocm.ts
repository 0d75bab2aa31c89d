/**
 * `rocm-smi --showproductname --showbus --showmeminfo vram --showuse --showtemp --showpower --showclocks --showfan --showdriverversion --json`
 * -> Hearth's model. Key names drift across ROCm releases, so lookups try each spelling.
 */
import type { GpuDevice, GpuSample } from '../../common/hardware.ts';
import { deviceId } from './nvidia-query.ts';
import { assessSupport } from './support.ts';
import { inRange, normalizeBusId, num, text } from './values.ts';

export const ROCM_ARGS = [
  '--showproductname',
  '--showbus',
  '--showmeminfo',
  'vram',
  '--showuse',
  '--showtemp',
  '--showpower',
  '--showclocks',
  '--showfan',
  '--showdriverversion',
  '--json',
] as const;

type Card = Record<string, unknown>;

function str(card: Card, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = card[k];
    if (typeof v === 'string' || typeof v === 'number') {
      const t = text(String(v));
      if (t !== null) return t;
    }
  }
  return null;
}

function bytesToMiB(v: string | null): number | null {
  const n = num(v);
  return n === null ? null : n / 1048576;
}

/** "Navi 22 [Radeon RX 6700/6700 XT / 6800M]" -> "AMD Radeon RX 6700/6700 XT / 6800M". */
function productName(card: Card): string | null {
  const raw = str(card, 'Device Name', 'Card Series', 'Card series', 'Card model', 'Card Model');
  if (raw === null) return null;
  const inner = /\[([^\]]+)\]\s*$/.exec(raw)?.[1] ?? raw;
  return /\bamd\b/i.test(inner) ? inner : `AMD ${inner}`;
}

export type RocmReport = { gpus: GpuDevice[]; samples: GpuSample[] };

/** Extracts the JSON object even when rocm-smi printed warnings around it. */
function jsonBody(output: string): Record<string, unknown> | null {
  const startAt = output.indexOf('{');
  const endAt = output.lastIndexOf('}');
  if (startAt < 0 || endAt <= startAt) return null;
  try {
    const v: unknown = JSON.parse(output.slice(startAt, endAt + 1));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Parses rocm-smi JSON. Never throws; unreadable output yields no GPUs. */
export function parseRocmSmiJson(output: string, platform = process.platform): RocmReport {
  const doc = jsonBody(output);
  if (!doc) return { gpus: [], samples: [] };
  const system = (doc['system'] ?? {}) as Card;
  const driverVersion = str(system, 'Driver version', 'Driver Version');
  const gpus: GpuDevice[] = [];
  const samples: GpuSample[] = [];
  const cards = Object.keys(doc)
    .filter((k) => /^card\d+$/.test(k))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  for (const key of cards) {
    const card = (doc[key] ?? {}) as Card;
    const index = Number(key.slice(4));
    const busId = normalizeBusId(str(card, 'PCI Bus'));
    const name = productName(card);
    const vram = bytesToMiB(str(card, 'VRAM Total Memory (B)'));
    const base = {
      index,
      vendor: 'amd' as const,
      name: name ?? 'AMD GPU',
      nameReported: name !== null,
      uuid: str(card, 'Unique ID'),
      busId,
      vramMiB: inRange(vram, 1, 4 * 1024 * 1024),
      driverVersion: driverVersion ?? str(card, 'Driver version'),
      cudaVersion: null,
      computeCapability: str(card, 'GFX Version'),
      migEnabled: null,
      migInstances: [],
      virtualization: 'unknown' as const,
      driverModel: null,
      // APUs report a small VRAM carve-out; dedicated cards have gigabytes.
      integrated: vram !== null && vram < 1024,
      source: 'rocm-smi' as const,
    };
    const id = deviceId('amd', busId, index);
    gpus.push({ ...base, id, support: assessSupport(base, platform) });
    samples.push({
      deviceId: id,
      utilizationPct: inRange(num(str(card, 'GPU use (%)')), 0, 100),
      memoryUsedMiB: bytesToMiB(str(card, 'VRAM Total Used Memory (B)')),
      memoryTotalMiB: base.vramMiB,
      temperatureC: inRange(num(str(card, 'Temperature (Sensor edge) (C)', 'Temperature (Sensor junction) (C)')), -40, 150),
      powerDrawW: inRange(num(str(card, 'Average Graphics Package Power (W)', 'Current Socket Graphics Package Power (W)')), 0, 5000),
      powerLimitW: inRange(num(str(card, 'Max Graphics Package Power (W)')), 0, 5000),
      fanPct: inRange(num(str(card, 'Fan speed (%)')), 0, 100),
      clockGraphicsMHz: inRange(num(str(card, 'sclk clock speed:')), 0, 10000),
      clockMemoryMHz: inRange(num(str(card, 'mclk clock speed:')), 0, 50000),
      otherProcesses: [],
    });
  }
  return { gpus, samples };
}
