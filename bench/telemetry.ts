/**
 * Cost of hardware telemetry.
 *   npx tsx bench/telemetry.ts [--seconds 60]
 * Prints:
 *   figure hardware.sample_parse_ms   — parsing one 1 Hz sample (dual-GPU query CSV + compute-apps CSV)
 *   figure hardware.xml_parse_ms      — parsing one dual-GPU `nvidia-smi -q -x` (inventory, type look-ups)
 *   figure hardware.loop_cpu_share    — Hearth's own CPU time while the 1 Hz sampler runs against the
 *                                       fake nvidia-smi in loop mode (-lms, as the app runs it), as % of
 *                                       one core (the nvidia-smi child's own CPU is not counted: it is
 *                                       the driver tool's, not Hearth's)
 *   figure hardware.poll_cpu_share    — the same with one nvidia-smi started per sample (the fallback
 *                                       mode), for comparison; half the duration
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { realClock } from '../core/hardware/clock.ts';
import { createRunTool } from '../core/hardware/exec.ts';
import { TELEMETRY_FIELDS, parseComputeAppsCsv, parseTelemetryCsv, queryArgs } from '../core/hardware/nvidia-query.ts';
import { parseNvidiaXml } from '../core/hardware/nvidia-xml.ts';
import { createNvidiaLoop } from '../core/hardware/nvidia-loop.ts';
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

// 2. The real loop: 1 Hz sampler for `seconds`, as the app runs it, then the per-call mode.
async function measure(mode: 'loop' | 'poll', secs: number): Promise<{ share: number; samples: number; gpus: number }> {
  const loop = mode === 'loop' ? createNvidiaLoop({ path: smi, clock: realClock, env, intervalMs: 1000, expectedGpus: 2 }) : undefined;
  const source = createNvidiaSource({ path: smi, run, clock: realClock, ownPids: () => [], ...(loop ? { loop } : {}) });
  let samples = 0;
  const sampler = createTelemetrySampler({ clock: realClock, sources: [source], onSample: () => samples++ });
  sampler.setRate('foreground');
  sampler.start();
  // Skip the first seconds (process start-up, first block), then measure.
  await new Promise((r) => setTimeout(r, 2000));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const s0 = samples;
  await new Promise((r) => setTimeout(r, secs * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const gpus = sampler.latest()?.gpus.length ?? 0;
  await sampler.stop();
  return { share: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, samples: samples - s0, gpus };
}
const looped = await measure('loop', seconds);
console.log(`# loop mode: ${seconds} s, ${looped.samples} samples, ${looped.gpus} GPUs per sample`);
console.log(`figure hardware.loop_cpu_share ${looped.share.toFixed(3)} %`);
const polled = await measure('poll', Math.max(5, Math.round(seconds / 2)));
console.log(`# poll mode: ${Math.max(5, Math.round(seconds / 2))} s, ${polled.samples} samples`);
console.log(`figure hardware.poll_cpu_share ${polled.share.toFixed(3)} %`);
