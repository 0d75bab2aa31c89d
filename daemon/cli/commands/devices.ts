import { parseArgs } from 'node:util';
import { gpuDisplayName, type HardwareInventory, type TelemetrySample } from '../../../common/hardware.ts';
import { realClock } from '../../../core/hardware/clock.ts';
import { createRunTool } from '../../../core/hardware/exec.ts';
import { detectInventory, listPciDisplays } from '../../../core/hardware/inventory.ts';
import { createNvidiaLoop } from '../../../core/hardware/nvidia-loop.ts';
import { loadSi } from '../../../core/hardware/si-fallback.ts';
import { createNvidiaSource, createRocmSource, type GpuSource } from '../../../core/hardware/sources.ts';
import { createTelemetrySampler } from '../../../core/hardware/telemetry.ts';
import { EXIT, type CliCommand } from '../command.ts';

const gib = (mib: number | null) => (mib === null ? '?' : `${(mib / 1024).toFixed(1)} GiB`);
const opt = (v: number | null, unit: string, digits = 0) => (v === null ? '–' : `${v.toFixed(digits)}${unit}`);

/** The inventory as a few plain lines. */
export function formatInventory(inv: HardwareInventory): string {
  const lines = [
    `CPU   ${inv.cpu.model} — ${inv.cpu.physicalCores} cores / ${inv.cpu.logicalCores} threads${inv.cpu.speedGHz ? `, ${inv.cpu.speedGHz} GHz` : ''}`,
    `RAM   ${gib(inv.ram.totalMiB)}${inv.ram.availableMiB !== null ? ` (${gib(inv.ram.availableMiB)} available)` : ''}`,
    `OS    ${inv.os.distro} ${inv.os.release} (${inv.os.platform} ${inv.os.arch})`,
    '',
  ];
  for (const g of inv.gpus) {
    const facts = [
      g.vramMiB !== null ? `${gib(g.vramMiB)} VRAM` : null,
      g.driverVersion ? `driver ${g.driverVersion}` : null,
      g.cudaVersion ? `CUDA ${g.cudaVersion}` : null,
      g.computeCapability ? `compute ${g.computeCapability}` : null,
      g.migEnabled ? `MIG on (${g.migInstances.length} instances)` : null,
      g.virtualization === 'vgpu' ? 'vGPU' : null,
      g.busId ? `bus ${g.busId}` : null,
    ].filter(Boolean);
    lines.push(`GPU ${g.index}  ${gpuDisplayName(g)}  [${g.support.status}]`);
    lines.push(`       ${facts.join(' · ')}`);
    lines.push(`       id ${g.id}`);
    if (g.support.status !== 'supported') lines.push(`       ${g.support.reason}${g.support.action ? ` ${g.support.action}` : ''}`);
  }
  if (inv.gpus.length === 0) lines.push('No GPU found.');
  if (inv.cpuOnly) {
    lines.push('', 'No supported GPU was found: Hearth will run jobs on the CPU, which earns less.');
    for (const p of inv.probes.filter((x) => x.status !== 'ok' && x.status !== 'skipped')) lines.push(`  ${p.source}: ${p.message}`);
    lines.push('  With an NVIDIA GPU, install the NVIDIA driver (it provides nvidia-smi), then run `hearth devices` again.');
  }
  return `${lines.join('\n')}\n`;
}

/** One line per device for a telemetry sample. */
export function formatSample(s: TelemetrySample, inv: HardwareInventory): string {
  const time = new Date(s.at).toISOString().slice(11, 19);
  const out = [`${time}  CPU ${opt(s.cpuPct, '%')}  RAM ${gib(s.ramUsedMiB)} used`];
  for (const g of s.gpus) {
    const name = inv.gpus.find((d) => d.id === g.deviceId);
    const others = g.otherProcesses.map((p) => `${p.name.split(/[\\/]/).pop()}(${p.pid})`).join(' ');
    out.push(
      `          GPU ${name?.index ?? '?'}  util ${opt(g.utilizationPct, '%')}  mem ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB)}  ${opt(g.temperatureC, '°C')}  ` +
        `${opt(g.powerDrawW, '')}/${opt(g.powerLimitW, ' W')}  fan ${opt(g.fanPct, '%')}  ${opt(g.clockGraphicsMHz, ' MHz')}${others ? `  in use by: ${others}` : ''}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export const CLI_TOOL_TIMEOUT_MS = 2_500;

export const devicesCommand: CliCommand = {
  name: 'devices',
  summary: 'List the GPUs, CPU and memory Hearth sees (works without the app running)',
  usage: 'hearth devices [--json] [--watch [--count N]]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, watch: { type: 'boolean' }, count: { type: 'string' } },
      strict: true,
    });
    const count = values.count === undefined ? Infinity : Number(values.count);
    if (!(count > 0)) {
      io.err('hearth devices: --count must be a positive number\n');
      return EXIT.usage;
    }
    // A person is waiting at the prompt: a hung driver tool gets seconds here, not the
    // engine's ten (a healthy nvidia-smi answers in well under a second).
    const run = createRunTool({ clock: realClock, timeoutMs: CLI_TOOL_TIMEOUT_MS, env: io.env });
    const si = await loadSi().catch(() => null);
    const { inventory, tools } = await detectInventory({
      clock: realClock,
      run,
      env: io.env,
      si,
      siTimeoutMs: CLI_TOOL_TIMEOUT_MS,
      listDisplays: () => listPciDisplays(),
    });
    if (values.json && !values.watch) io.out(`${JSON.stringify(inventory, null, 2)}\n`);
    else if (values.json) io.out(`${JSON.stringify({ inventory })}\n`);
    else io.out(formatInventory(inventory));
    if (!values.watch) return EXIT.ok;

    const sources: GpuSource[] = [];
    const nvidiaGpus = inventory.gpus.filter((g) => g.source === 'nvidia-smi').length;
    if (tools.nvidiaSmi && nvidiaGpus > 0) {
      const loop = createNvidiaLoop({ path: tools.nvidiaSmi, clock: realClock, env: io.env, intervalMs: 1000, expectedGpus: nvidiaGpus });
      sources.push(createNvidiaSource({ path: tools.nvidiaSmi, run, clock: realClock, ownPids: () => [], loop }));
    }
    if (tools.rocmSmi && inventory.gpus.some((g) => g.source === 'rocm-smi')) sources.push(createRocmSource({ path: tools.rocmSmi, run }));
    if (!values.json) io.out(`\nLive readings every second${Number.isFinite(count) ? '' : ' (Ctrl-C to stop)'}:\n`);
    let seen = 0;
    await new Promise<void>((resolve) => {
      const sampler = createTelemetrySampler({
        clock: realClock,
        sources,
        onSample: (s) => {
          io.out(values.json ? `${JSON.stringify({ sample: s })}\n` : formatSample(s, inventory));
          if (++seen >= count) void sampler.stop().then(resolve);
        },
        onError: (source, e) => io.err(`${source}: ${e instanceof Error ? e.message : String(e)}\n`),
      });
      const onSigint = () => void sampler.stop().then(resolve);
      process.once('SIGINT', onSigint);
      sampler.setRate('foreground');
      sampler.start();
    });
    return EXIT.ok;
  },
};
