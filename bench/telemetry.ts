/**
 * Cost of hardware telemetry.
 *   npx tsx bench/telemetry.ts [--seconds 60]
 * Prints:
 *   figure hardware.sample_parse_ms   — parsing one 1 Hz sample (dual-GPU query CSV + compute-apps CSV)
 *   figure hardware.xml_parse_ms      — parsing one dual-GPU `nvidia-smi -q -x` (inventory, type look-ups)
 *   figure hardware.loop_cpu_share    — Hearth's own CPU time while the 1 Hz sampler runs against the
 *                                       fake nvidia-smi, as % of one core (the nvidia-smi child's own
 *                                       CPU is not counted: it is the driver tool's, not Hearth's)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { realClock } from '../core/hardware/clock.ts';
import { createRunTool } from '../core/hardware/exec.ts';
import { COMPUTE_APPS_FIELDS, TELEMETRY_FIELDS, parseComputeAppsCsv, parseTelemetryCsv, queryArgs } from '../core/hardware/nvidia-query.ts';
import { parseNvidiaXml } from '../core/hardware/nvidia-xml.ts';
import { createNvidiaSource } from '../core/hardware/sources.ts';
import { createTelemetrySampler } from '../core/hardware/telemetry.ts';
import { fakeBin, fixture } from '../core/hardware/testing/paths.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const seconds = Math.max(5, Number(values.seconds) || 60);
const smi = path.join(fakeBin('bin'), 'nvidia-smi');
const env = { ...process.env, FAKE_NVIDIA_SMI_SCENARIO: 'dual-2070' };
const run = createRunTool({ clock: realClock, timeoutMs: 10_000, env });

// 1. Parse cost, on the exact bytes the fake prints for Hearth's own queries.
const gpuCsv = (await run(smi, queryArgs('gpu', TELEMETRY_FIELDS))).stdout;
const appsCsv = readFileSync(fixture('recorded', 'kde-4080s-load-compute-apps.csv'), 'utf8'); // a non-empty process list
const ctx = { ownPids: new Set<number>([1]) };
const time = (n: number, fn: () => void) => {
  for (let i = 0; i < Math.min(200, n); i++) fn(); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / n;
};
const parseMs = time(20_000, () => {
  parseTelemetryCsv(gpuCsv, TELEMETRY_FIELDS);
  parseComputeAppsCsv(appsCsv, ctx);
});
const xml = readFileSync(fixture('recorded', 'telegraf-dual_2070-v13.xml'), 'utf8');
const xmlMs = time(500, () => parseNvidiaXml(xml, ctx));
console.log(`figure hardware.sample_parse_ms ${parseMs.toFixed(4)} ms`);
console.log(`figure hardware.xml_parse_ms ${xmlMs.toFixed(3)} ms`);

// 2. The real loop: 1 Hz sampler, two nvidia-smi calls per tick, for `seconds`.
const source = createNvidiaSource({ path: smi, run, clock: realClock, ownPids: () => [] });
let samples = 0;
const sampler = createTelemetrySampler({ clock: realClock, sources: [source], onSample: () => samples++ });
sampler.setRate('foreground');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
sampler.start();
await new Promise((r) => setTimeout(r, seconds * 1000));
await sampler.stop();
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const share = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
console.log(`# loop ran ${(wallMs / 1000).toFixed(1)} s, ${samples} samples, ${sampler.latest()?.gpus.length ?? 0} GPUs per sample`);
console.log(`figure hardware.loop_cpu_share ${share.toFixed(3)} %`);
