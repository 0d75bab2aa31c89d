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
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const settleS = Number(process.env.HEARTH_BENCH_SETTLE_S ?? 15);
const idleS = Number(process.env.HEARTH_BENCH_IDLE_S ?? 60);
const fromSources = process.env.HEARTH_BENCH_FROM_SOURCES === '1';

if (process.platform !== 'linux') {
  process.stdout.write('# engine-idle reads /proc: Linux only\n');
  process.exit(0);
}
if (!fromSources) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs'), '--daemon-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('building the daemon failed');
}

/** CPU time of a process in ms (schedstat: nanoseconds on a CPU; else utime+stime ticks at 100 Hz). */
function cpuMs(pid: number): number {
  const sched = `/proc/${pid}/schedstat`;
  if (existsSync(sched)) return Number(readFileSync(sched, 'utf8').split(' ')[0]) / 1e6;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Every process below `pid`, with its name. */
function descendants(pid: number): { pid: number; name: string }[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return [{ pid: Number(d), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) }];
      } catch {
        return [];
      }
    });
  const found: { pid: number; name: string }[] = [];
  const walk = (parent: number): void => {
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push({ pid: p.pid, name: p.name });
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

const dataDir = mkdtempSync(join(tmpdir(), 'hearth-idle-'));
const daemon = spawn(process.execPath, [join(root, 'bin', 'hearth.mjs'), 'daemon', '--data-dir', dataDir], {
  cwd: root,
  env: { ...process.env, HEARTH_SIMULATOR: 'off', HEARTH_FROM_SOURCES: fromSources ? '1' : '', FORCE_COLOR: '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let stderr = '';
daemon.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
await new Promise<void>((resolve, reject) => {
  let out = '';
  daemon.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('Hearth ready at')) resolve();
  });
  daemon.once('exit', (code) => reject(new Error(`the daemon exited (${code}) before it was ready:\n${stderr}`)));
});
const pid = daemon.pid!;
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

const exited = new Promise((resolve) => daemon.once('exit', resolve));
daemon.kill('SIGTERM');
await exited;
rmSync(dataDir, { recursive: true, force: true });
