import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gpuDisplayName } from '../../common/hardware.ts';
import { parseNvidiaXml } from './nvidia-xml.ts';
import { fixture } from './testing/paths.ts';

const read = (name: string) => readFileSync(fixture('recorded', name), 'utf8');
const ctx = { ownPids: new Set<number>() };

test('dual-GPU XML: two devices with distinct ids, driver and CUDA versions', () => {
  const r = parseNvidiaXml(read('telegraf-dual_2070-v13.xml'), ctx, 'linux');
  assert.equal(r.gpus.length, 2);
  assert.deepEqual(r.gpus.map((g) => g.id), ['nvidia:00000000:01:00.0', 'nvidia:00000000:02:00.0']);
  assert.deepEqual(r.gpus.map((g) => g.index), [0, 1]);
  for (const g of r.gpus) {
    assert.equal(g.name, 'NVIDIA GeForce RTX 2070');
    assert.equal(g.vramMiB, 8192);
    assert.equal(g.driverVersion, '590.44.01');
    assert.equal(g.cudaVersion, '13.1');
    assert.equal(g.support.status, 'supported');
  }
  assert.deepEqual(r.samples.map((s) => [s.temperatureC, s.powerDrawW, s.powerLimitW, s.fanPct]), [
    [14, 9.23, 175, 35],
    [13, 11.82, 175, 34],
  ]);
});

test('MIG: instances listed, whole-GPU utilization N/A, attached count kept', () => {
  const r = parseNvidiaXml(read('telegraf-a100-sxm4-v12.xml'), ctx, 'linux');
  assert.equal(r.attachedGpus, 4);
  assert.equal(r.gpus.length, 1);
  const g = r.gpus[0]!;
  assert.equal(g.migEnabled, true);
  assert.equal(g.migInstances.length, 4);
  assert.ok(g.migInstances.every((m) => m.vramMiB === 19968));
  assert.equal(g.support.status, 'limited');
  assert.equal(r.samples[0]?.utilizationPct, null);
});

test('old driver "Graphics Device": kept, flagged, and shown with a useful name', () => {
  const g = parseNvidiaXml(read('telegraf-gtx-1660-ti.xml'), ctx, 'linux').gpus[0]!;
  assert.equal(g.name, 'Graphics Device');
  assert.equal(g.nameReported, false);
  assert.equal(g.support.status, 'limited');
  assert.match(g.support.action, /Update the NVIDIA driver/);
  assert.match(gpuDisplayName(g), /NVIDIA GPU/);
});

test('vGPU guest on Windows: virtualization and WDDM read; C+G desktop processes ignored', () => {
  const r = parseNvidiaXml(read('telegraf-tesla_p4.xml'), ctx, 'win32');
  const g = r.gpus[0]!;
  assert.equal(g.virtualization, 'vgpu');
  assert.equal(g.driverModel, 'WDDM');
  assert.equal(r.processes.length, 13);
  assert.ok(r.processes.every((p) => p.type === 'C+G' && p.kind === 'desktop'));
  assert.equal(r.samples[0]?.otherProcesses.length, 0);
});

test('WDDM desktop with G processes: no one else is computing', () => {
  const r = parseNvidiaXml(read('telegraf-rtx-3080-v12.xml'), ctx, 'win32');
  assert.equal(r.processes.length, 5);
  assert.ok(r.processes.every((p) => p.kind === 'desktop'));
});

test('cut off by a killed nvidia-smi: exactly the GPUs written whole, with the reason', () => {
  const full = read('telegraf-dual_2070-v13.xml');
  const whole = parseNvidiaXml(full, ctx, 'linux');
  assert.equal(whole.problem, null);
  for (let k = 1; k < 100; k++) {
    const cut = full.slice(0, Math.floor((full.length * k) / 100));
    const r = parseNvidiaXml(cut, ctx, 'linux');
    const complete = cut.split('</gpu>').length - 1;
    assert.deepEqual(r.gpus, whole.gpus.slice(0, complete), `cut at ${k}%`);
    assert.deepEqual(r.samples, whole.samples.slice(0, complete), `cut at ${k}%`);
    assert.match(r.problem ?? '', /ends before its closing <\/nvidia_smi_log>/);
  }
  // The first GPU ends a little past half way: a 60% cut keeps it whole and drops the second.
  assert.equal(parseNvidiaXml(full.slice(0, Math.floor(full.length * 0.6)), ctx, 'linux').gpus[0]?.name, 'NVIDIA GeForce RTX 2070');
});

test('garbage or empty output does not throw, finds no GPU and says why', () => {
  for (const src of ['\u0001 garbage <<', '', 'nvidia-smi: command failed']) {
    const r = parseNvidiaXml(src, ctx);
    assert.equal(r.gpus.length, 0);
    assert.match(r.problem ?? '', /The XML ends before its closing/);
  }
  const r = parseNvidiaXml('<other><gpu/></other>', ctx);
  assert.deepEqual([r.gpus.length, r.problem], [0, 'The XML ends before its closing </nvidia_smi_log> (21 characters read); it holds no complete <gpu> element.']);
});
