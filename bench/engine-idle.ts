/**
 * The engine at rest: the built daemon (dist/daemon, as `hearth daemon` runs it) with a fresh
 * data folder (no wallet), no client connected and the demand simulator off, after it has
 * settled. Run: node --import tsx bench/engine-idle.ts
 *   HEARTH_BENCH_SETTLE_S (default 15): start-up left out (the local chain starts and the
 *     protocol is deployed in the background after the ready line).
 *   HEARTH_BENCH_IDLE_S (default 60): the window CPU time is averaged over, RSS read at its end.
 *   HEARTH_BENCH_FROM_SOURCES=1: measure the sources through tsx instead (the old way).
 * Prints `figure engine.idle_rss_mb`, `figure engine.idle_cpu_pct` (of one core) and
 * `figure engine.chain_node_rss_mb` (Anvil and its guard, separate processes).
 * Budget: ≤ 80 MB RSS and ≤ 0.2 % CPU for the engine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDaemon, cpuMs, descendants, rssMb, startDaemon } from './support/daemon.ts';

const settleS = Number(process.env.HEARTH_BENCH_SETTLE_S ?? 15);
const idleS = Number(process.env.HEARTH_BENCH_IDLE_S ?? 60);
const fromSources = process.env.HEARTH_BENCH_FROM_SOURCES === '1';

if (process.platform !== 'linux') {
  process.stdout.write('# engine-idle reads /proc: Linux only\n');
  process.exit(0);
}
if (!fromSources) buildDaemon();

const dataDir = mkdtempSync(join(tmpdir(), 'hearth-idle-'));
const daemon = await startDaemon(dataDir, { HEARTH_SIMULATOR: 'off', HEARTH_FROM_SOURCES: fromSources ? '1' : '' });
const pid = daemon.pid;
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
await sleep(settleS);
const cpuStart = cpuMs(pid);
const wallStart = performance.now();
await sleep(idleS);
const cpuPct = ((cpuMs(pid) - cpuStart) / (performance.now() - wallStart)) * 100;
const rss = rssMb(pid);
// RSS counts the Node binary's code pages too: file-backed, shared with every Node process.
const rollup = existsSync(`/proc/${pid}/smaps_rollup`) ? readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8') : '';
const rollupMb = (field: string): string => (Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) / 1024).toFixed(1);
const children = descendants(pid);
// The chain node is Anvil and the shell that guards it; anything else below the daemon is its own.
const chain = children.filter((c) => c.name === 'anvil' || c.name === 'sh');
const others = children.filter((c) => !chain.includes(c));
const chainRss = chain.reduce((sum, c) => sum + rssMb(c.pid), 0);

process.stdout.write(`# ${fromSources ? 'sources through tsx' : 'built daemon'}; settled ${settleS} s, measured over ${idleS} s\n`);
process.stdout.write(`figure engine.idle_rss_mb ${rss.toFixed(1)} MB\n`);
process.stdout.write(`figure engine.idle_cpu_pct ${cpuPct.toFixed(3)} %\n`);
process.stdout.write(`figure engine.chain_node_rss_mb ${chainRss.toFixed(1)} MB\n`);
if (rollup) process.stdout.write(`# engine RSS: ${rollupMb('Anonymous')} MB anonymous (heap, stacks), ${rollupMb('Shared_Clean')} MB shared clean (mostly the node binary's code); PSS ${rollupMb('Pss')} MB\n`);
if (others.length > 0) process.stdout.write(`# other processes under the daemon: ${others.map((c) => `${c.name} ${rssMb(c.pid).toFixed(1)} MB`).join(', ')}\n`);
if (!chain.some((c) => c.name === 'anvil')) process.stdout.write('# no chain node was running (see the daemon log)\n');

await daemon.stop();
rmSync(dataDir, { recursive: true, force: true });
