import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fakeBin } from '../../../core/hardware/testing/paths.ts';
import { main } from '../main.ts';
import { CLI_TOOL_TIMEOUT_MS } from './devices.ts';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env: { PATH: process.env['PATH'] ?? '', HEARTH_ROCM_SMI: 'none', FAKE_NVIDIA_SMI_FRAME: '0', ...env } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

const fake = path.join(fakeBin('bin'), 'nvidia-smi');

test('hearth devices with the fake dual-GPU nvidia-smi lists both GPUs', async () => {
  const t = io({ HEARTH_NVIDIA_SMI: fake });
  assert.equal(await main(['devices'], t.io), 0);
  assert.match(t.out(), /GPU 0 {2}NVIDIA GeForce RTX 2070 {2}\[supported\]/);
  assert.match(t.out(), /GPU 1 {2}NVIDIA GeForce RTX 2070/);
  assert.match(t.out(), /8\.0 GiB VRAM · driver 590\.44\.01 · CUDA 13\.1/);
  assert.doesNotMatch(t.out(), /No supported GPU/);
});

test('hearth devices --json is the inventory', async () => {
  const t = io({ HEARTH_NVIDIA_SMI: fake });
  assert.equal(await main(['devices', '--json'], t.io), 0);
  const inv = JSON.parse(t.out()) as { gpus: { busId: string }[]; cpuOnly: boolean };
  assert.deepEqual(inv.gpus.map((g) => g.busId), ['00000000:01:00.0', '00000000:02:00.0']);
  assert.equal(inv.cpuOnly, false);
});

test('hearth devices without a GPU says so plainly', async () => {
  const t = io({ HEARTH_NVIDIA_SMI: 'none' });
  assert.equal(await main(['devices'], t.io), 0);
  assert.match(t.out(), /No supported GPU was found: Hearth will run jobs on the CPU/);
  assert.match(t.out(), /^CPU {3}\S/m);
});

test('hearth devices --watch --count 2 --json prints live samples of both GPUs', async () => {
  const t = io({ HEARTH_NVIDIA_SMI: fake });
  assert.equal(await main(['devices', '--watch', '--count', '2', '--json'], t.io), 0);
  const lines = t.out().trim().split('\n').map((l) => JSON.parse(l) as { sample?: { gpus: unknown[] } });
  const samples = lines.filter((l) => l.sample);
  assert.equal(samples.length, 2);
  assert.ok(samples.every((s) => s.sample?.gpus.length === 2));
});

test('hearth devices does not wait on a hung nvidia-smi past its short CLI limit, and says it timed out', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-hung-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hung = path.join(dir, 'nvidia-smi');
  writeFileSync(hung, '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
  const run = io({ HEARTH_NVIDIA_SMI: hung });
  const started = Date.now();
  assert.equal(await main(['devices', '--json'], run.io), 0);
  const waited = Date.now() - started;
  // Two tries (XML, then CSV) are cut at the CLI limit each; the engine's 10 s would be 10+ s.
  assert.ok(waited < 2 * CLI_TOOL_TIMEOUT_MS + 2_000, `waited ${waited} ms`);
  const inv = JSON.parse(run.out()) as { probes: { source: string; status: string }[] };
  assert.ok(inv.probes.some((p) => p.source.startsWith('nvidia-smi') && p.status === 'timeout'), JSON.stringify(inv.probes));
});
