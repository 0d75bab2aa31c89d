/**
 * Fault injection: the daemon SIGKILLed at random points of the earning loop, over many
 * trials, then the ledger compared with the chain (daemon/testing/kill-trials.ts).
 *   node --import tsx bench/daemon-kills.ts [--trials 100] [--seed N]   (or HEARTH_KILL_TRIALS, HEARTH_KILL_SEED)
 * The daemon runs from its bundle (dist/daemon, built first) so that restarts are cheap.
 * Prints:
 *   figure faults.daemon_kill_trials      — kills done (each one followed by a restart on the same data folder)
 *   figure faults.daemon_kill_jobs_lost   — posted jobs that did not end paid, or paid but not so in the ledger
 *   figure faults.daemon_kill_jobs_double — jobs with a step done twice (a second claim, commit or settle
 *                                           transaction of ours mined, or the ledger above the chain)
 *   figure faults.daemon_kill_restart_ms  — median, spawn → connectToRunning succeeds
 *   figure faults.daemon_kill_recover_ms  — median, spawn → local chain ready and wallet unlocked
 * Exits 1 when a job was lost or done twice, a failure has no readable reason, or the sums differ.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { repoRoot } from '../daemon/daemon.ts';
import { runKillTrials } from '../daemon/testing/kill-trials.ts';

const { values } = parseArgs({ options: { trials: { type: 'string' }, seed: { type: 'string' } } });
const trials = Math.max(1, Number(values.trials ?? process.env.HEARTH_KILL_TRIALS ?? 100) || 100);
const seed = Number(values.seed ?? process.env.HEARTH_KILL_SEED) || Date.now() % 1_000_000;
const step = (text: string) => process.stderr.write(`# ${new Date().toISOString()} ${text}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const build = spawnSync('npm', ['run', '-s', 'build:daemon'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build:daemon failed');

step(`seed ${seed} (replay with --seed ${seed}), ${trials} trials`);
const started = Date.now();
const r = await runKillTrials({ trials, seed, fromSources: false, step });
const c = r.comparison;
const where = new Map<string, number>();
for (const k of r.kills) where.set(k.target, (where.get(k.target) ?? 0) + 1);
step(`kills by target: ${[...where].map(([t, n]) => `${t} ${n}`).join(', ')}`);
step(`${r.posted} jobs posted, ${c.paidWei} wei paid, wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const line of [...c.lost, ...c.double, ...c.unreadable, ...c.sums]) step(`PROBLEM ${line}`);
const lost = new Set(c.lost.map((l) => l.split(':')[0])).size;
const double = new Set(c.double.map((l) => l.split(':')[0])).size;
console.log(`figure faults.daemon_kill_trials ${r.trials} trials`);
console.log(`figure faults.daemon_kill_jobs_lost ${lost} jobs`);
console.log(`figure faults.daemon_kill_jobs_double ${double} jobs`);
console.log(`figure faults.daemon_kill_restart_ms ${median(r.restartMs).toFixed(0)} ms`);
console.log(`figure faults.daemon_kill_recover_ms ${median(r.recoverMs).toFixed(0)} ms`);
if (lost + double + c.unreadable.length + c.sums.length > 0) {
  step(`seed ${seed}: problems found; the data folder is kept in ${r.dataDir}`);
  process.exitCode = 1;
}
