import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseNvidiaCsv } from './nvidia-csv.ts';
import { INVENTORY_FIELDS, parseComputeAppsCsv, parseGpuInventoryCsv, parseTelemetryCsv } from './nvidia-query.ts';
import { fixture } from './testing/paths.ts';

const read = (name: string) => readFileSync(fixture('recorded', name), 'utf8');
const SI_FIELDS = 'driver_version,pci.sub_device_id,name,pci.bus_id,fan.speed,memory.total,memory.used,memory.free,utilization.gpu,utilization.memory,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.gr,clocks.mem'.split(',');
const noOwn = { ownPids: new Set<number>() };

test('full recorded CSV with header and units: inventory and telemetry', () => {
  const csv = read('kde-4080s-load-query-gpu.csv');
  const [gpu, ...rest] = parseGpuInventoryCsv(csv, INVENTORY_FIELDS, 'linux');
  assert.equal(rest.length, 0);
  assert.equal(gpu?.name, 'NVIDIA GeForce RTX 4080 SUPER');
  assert.equal(gpu?.busId, '00000000:01:00.0');
  assert.equal(gpu?.vramMiB, 16376);
  assert.equal(gpu?.computeCapability, '8.9');
  assert.equal(gpu?.driverVersion, '595.71.05');
  assert.equal(gpu?.migEnabled, null); // [N/A] on GeForce
  assert.equal(gpu?.support.status, 'supported');
  const { items } = parseTelemetryCsv(csv);
  assert.equal(items.length, 1);
  const s = items[0]!;
  assert.equal(s.deviceId, 'nvidia:00000000:01:00.0');
  assert.ok(s.utilizationPct !== null && s.utilizationPct > 0);
  assert.ok(s.powerDrawW !== null && s.powerDrawW > 0 && s.powerLimitW === 320);
  assert.ok(s.clockGraphicsMHz !== null && s.clockGraphicsMHz > 0);
});

test('noheader,nounits lines parse by the queried field order', () => {
  const { items } = parseTelemetryCsv(read('windows-2080s-idle-si-noheader-nounits.csv'), SI_FIELDS);
  assert.equal(items.length, 1);
  assert.equal(items[0]?.memoryTotalMiB, 8192);
  assert.equal(items[0]?.temperatureC, 40);
  assert.equal(items[0]?.fanPct, 38);
  const gpus = parseGpuInventoryCsv(read('windows-2080s-idle-si-noheader-nounits.csv'), SI_FIELDS, 'win32');
  assert.equal(gpus[0]?.name, 'NVIDIA GeForce RTX 2080 SUPER');
});

test('MIG: utilization [N/A] is null, MIG mode is read, fan [N/A] is null', () => {
  const csv = read('h100-mig-load-query-gpu.csv');
  const gpu = parseGpuInventoryCsv(csv, INVENTORY_FIELDS, 'linux')[0]!;
  assert.equal(gpu.migEnabled, true);
  assert.equal(gpu.support.status, 'limited');
  const s = parseTelemetryCsv(csv).items[0]!;
  assert.equal(s.utilizationPct, null);
  assert.equal(s.fanPct, null);
  assert.equal(s.memoryUsedMiB, 11125);
  const si = parseTelemetryCsv(read('h100-mig-load-si-noheader-nounits.csv'), SI_FIELDS).items[0]!;
  assert.equal(si.utilizationPct, null);
  assert.equal(si.powerDrawW, 433.78);
});

test('Windows compute-apps: desktop apps are not "someone else"; ffmpeg is', () => {
  const { items } = parseComputeAppsCsv(read('windows-2080s-load-compute-apps.csv'), noOwn, ['timestamp', 'gpu_name', 'gpu_bus_id', 'gpu_serial', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory']);
  assert.equal(items.length, 21);
  const byName = (n: string) => items.filter((p) => p.name.toLowerCase().endsWith(n));
  for (const n of ['dwm.exe', 'explorer.exe', 'shellhost.exe', 'searchhost.exe', 'msedge.exe', 'nvidia overlay.exe', 'lockapp.exe']) {
    assert.ok(byName(n).length > 0, n);
    assert.ok(byName(n).every((p) => p.kind === 'desktop'), n);
  }
  const ffmpeg = byName('ffmpeg.exe');
  assert.equal(ffmpeg.length, 2);
  assert.ok(ffmpeg.every((p) => p.kind === 'compute' && p.usedMiB === null));
});

test('Windows compute-apps with types learned from XML: every C+G app is desktop', () => {
  const header = ['timestamp', 'gpu_name', 'gpu_bus_id', 'gpu_serial', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory'];
  const csv = read('windows-2080s-load-compute-apps.csv');
  const all = parseComputeAppsCsv(csv, noOwn, header).items;
  const knownTypes = new Map(all.map((p) => [p.pid, p.name.endsWith('ffmpeg.exe') ? 'C' : 'C+G']));
  const typed = parseComputeAppsCsv(csv, { ownPids: new Set(), knownTypes }, header).items;
  assert.deepEqual(typed.filter((p) => p.kind === 'compute').map((p) => p.pid).sort(), [12940, 13820]);
});

test('KDE Wayland: kwin_wayland idles on the GPU and is ignored; our worker is ours', () => {
  const idle = parseComputeAppsCsv(read('kde-4080s-idle-compute-apps.csv'), noOwn).items;
  assert.equal(idle.length, 1);
  assert.equal(idle[0]?.kind, 'desktop');
  const load = parseComputeAppsCsv(read('kde-4080s-load-compute-apps.csv'), { ownPids: new Set([5022]) }).items;
  assert.deepEqual(load.map((p) => [p.pid, p.kind]), [
    [2165, 'desktop'],
    [5022, 'ours'],
    [5021, 'compute'],
  ]);
  assert.equal(load[1]?.usedMiB, 503);
});

test('garbage yields no rows and counts rejected lines', () => {
  const r = parseNvidiaCsv('\u0001garbage <not xml>, 1, 2\n%%\nnoise', ['index', 'pci.bus_id', 'utilization.gpu', 'memory.used']);
  assert.equal(r.rows.length, 0);
  assert.ok(r.rejected >= 2);
  assert.equal(parseTelemetryCsv('').items.length, 0);
});

test('a process path with a comma stays one process name', () => {
  const csv = '00000000:01:00.0, 4242, C:\\Games\\Foo, Inc\\foo.exe, 100 MiB\n';
  const p = parseComputeAppsCsv(csv, noOwn).items[0]!;
  assert.equal(p.name, 'C:\\Games\\Foo, Inc\\foo.exe');
  assert.equal(p.usedMiB, 100);
});
