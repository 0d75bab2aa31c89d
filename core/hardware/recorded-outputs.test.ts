/**
 * Runs every recorded nvidia-smi output in ../shared/fixtures/nvidia-smi/ (beside the
 * repository) through the parsers. Skipped, with the reason, when that folder is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { GpuDevice, GpuSample } from '../../common/hardware.ts';
import { INVENTORY_FIELDS, parseComputeAppsCsv, parseGpuInventoryCsv, parseTelemetryCsv } from './nvidia-query.ts';
import { parseNvidiaXml } from './nvidia-xml.ts';
import { REPO_ROOT } from './testing/paths.ts';

const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'nvidia-smi');
const skip = existsSync(SHARED) ? false : `recorded outputs not found at ${SHARED}`;
const SI_FIELDS = 'driver_version,pci.sub_device_id,name,pci.bus_id,fan.speed,memory.total,memory.used,memory.free,utilization.gpu,utilization.memory,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.gr,clocks.mem'.split(',');
const BUS = /^[0-9A-F]{8}:[0-9A-F]{2}:[0-9A-F]{2}\.[0-7]$/;

function list(dir: string, re: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)) : [];
}

function checkGpu(g: GpuDevice, where: string): void {
  assert.ok(g.name.trim().length > 0, `${where}: name`);
  assert.ok(g.vramMiB !== null && g.vramMiB >= 256 && g.vramMiB <= 512 * 1024, `${where}: VRAM ${g.vramMiB}`);
  assert.match(g.busId ?? '', BUS, `${where}: bus id`);
  assert.equal(g.vendor, 'nvidia');
}

function checkSample(s: GpuSample, where: string): void {
  const within = (v: number | null, lo: number, hi: number, what: string) =>
    assert.ok(v === null || (v >= lo && v <= hi), `${where}: ${what} ${v} outside ${lo}..${hi}`);
  within(s.utilizationPct, 0, 100, 'utilization');
  within(s.temperatureC, 0, 120, 'temperature');
  within(s.fanPct, 0, 100, 'fan');
  within(s.powerDrawW, 0, 1500, 'power');
  within(s.powerLimitW, 10, 1500, 'power limit');
  within(s.clockGraphicsMHz, 0, 4000, 'graphics clock');
  if (s.memoryUsedMiB !== null && s.memoryTotalMiB !== null) assert.ok(s.memoryUsedMiB <= s.memoryTotalMiB, `${where}: memory used > total`);
}

/** pid -> type from a recorded `nvidia-smi -q` text (what `-q -x` tells Hearth at run time). */
function typesFromQ(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const re = /Process ID\s*:\s*(\d+)\s*\r?\n\s*Type\s*:\s*(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.set(Number(m[1]), m[2]!);
  return out;
}

// Absent folder: one skipped test carrying the reason (a skipped describe would count as nothing).
if (skip) test('recorded nvidia-smi outputs (../shared/fixtures/nvidia-smi)', { skip }, () => undefined);
else describe('recorded nvidia-smi outputs (../shared/fixtures/nvidia-smi)', () => {
  test('every -q -x XML: GPUs with name, VRAM, bus id; sane readings', () => {
    const files = list(path.join(SHARED, 'xml'), /\.xml$/);
    assert.ok(files.length > 0);
    for (const f of files) {
      const where = path.basename(f);
      const r = parseNvidiaXml(readFileSync(f, 'utf8'), { ownPids: new Set() }, 'linux');
      assert.ok(r.gpus.length >= 1, `${where}: no GPU`);
      r.gpus.forEach((g) => checkGpu(g, where));
      r.samples.forEach((s) => checkSample(s, where));
      assert.equal(new Set(r.gpus.map((g) => g.id)).size, r.gpus.length, `${where}: duplicate ids`);
    }
  });

  test('every captured --query-gpu CSV (header + units): inventory and telemetry', () => {
    const dirs = list(path.join(SHARED, 'captures-split'), /./);
    assert.ok(dirs.length > 0);
    for (const d of dirs) {
      for (const f of list(d, /-query-gpu\.csv$/)) {
        const where = `${path.basename(d)}/${path.basename(f)}`;
        const csv = readFileSync(f, 'utf8');
        const gpus = parseGpuInventoryCsv(csv, INVENTORY_FIELDS, 'linux');
        assert.ok(gpus.length >= 1, `${where}: no GPU`);
        gpus.forEach((g) => checkGpu(g, where));
        assert.ok(gpus.every((g) => g.computeCapability !== null && /^\d+\.\d+$/.test(g.computeCapability)), `${where}: compute capability`);
        const { items } = parseTelemetryCsv(csv);
        assert.equal(items.length, gpus.length, where);
        items.forEach((s) => checkSample(s, where));
      }
    }
  });

  test('every captured compute-apps CSV: idle machines have no one else computing, loaded ones do', () => {
    for (const d of list(path.join(SHARED, 'captures-split'), /./)) {
      for (const phase of ['idle', 'load'] as const) {
        const file = path.join(d, `${phase}-query-compute-apps.csv`);
        if (!existsSync(file)) continue;
        const where = `${path.basename(d)}/${phase}`;
        const q = path.join(d, `${phase}-query-q.txt`);
        const knownTypes = existsSync(q) ? typesFromQ(readFileSync(q, 'utf8')) : new Map<number, string>();
        const procs = parseComputeAppsCsv(readFileSync(file, 'utf8'), { ownPids: new Set(), knownTypes }).items;
        assert.ok(procs.every((p) => p.pid > 0 && p.name.length > 0), `${where}: pid/name`);
        const others = procs.filter((p) => p.kind === 'compute');
        if (phase === 'idle') assert.deepEqual(others.map((p) => p.name), [], `${where}: idle desktop counted as a compute tenant`);
        else assert.ok(others.length >= 1, `${where}: the load processes were missed`);
      }
    }
  });

  test('every systeminformation-shaped line (noheader,nounits)', () => {
    const files = list(path.join(SHARED, 'si-query-derived'), /\.csv$/);
    assert.ok(files.length > 0);
    for (const f of files) {
      const where = path.basename(f);
      const csv = readFileSync(f, 'utf8');
      const gpus = parseGpuInventoryCsv(csv, SI_FIELDS, 'linux');
      assert.equal(gpus.length, 1, where);
      gpus.forEach((g) => checkGpu(g, where));
      parseTelemetryCsv(csv, SI_FIELDS).items.forEach((s) => checkSample(s, where));
    }
  });
});
