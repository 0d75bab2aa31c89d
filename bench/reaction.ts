/**
 * Reaction latency: from a "you are back" activity signal to the inference worker process
 * being gone, with the real scheduler, the real forked worker and a real model (the
 * PaddleOCR recognizer) mid-inference. Run: node --import tsx bench/reaction.ts [trials]
 * Prints `figure scheduler.reaction_p50_ms` and `figure scheduler.reaction_p99_ms` (goal p99 ≤ 200 ms).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../common/settings.ts';
import type { SchedulerSettings } from '../common/scheduler.ts';
import { createScriptedActivity } from '../core/activity/scripted.ts';
import { createStderrLogger, forkLauncher, systemClock } from '../core/node-ports.ts';
import { noGpuSignals } from '../core/scheduler/gpu-signals.ts';
import { createPracticeJobSource } from '../core/scheduler/practice-jobs.ts';
import { createScheduler } from '../core/scheduler/scheduler.ts';
import { processAlive } from '../core/process-alive.ts';

const trials = Number(process.argv[2] ?? 50);
const dir = await mkdtemp(join(tmpdir(), 'hearth-reaction-'));
const logger = createStderrLogger('warn');
const paths = { dataDir: dir, cacheDir: join(dir, 'cache'), logsDir: join(dir, 'logs') };
let pid: number | null = null;
let goneAt = 0;
const jobs = createPracticeJobSource({ ports: { launcher: forkLauncher, clock: systemClock, logger, paths }, onWorkerPid: (p) => (pid = p) });
jobs.supervisor.onState((s) => {
  if (s.state === 'exited') goneAt = performance.now();
});
const activity = createScriptedActivity(systemClock, 0);
let settings: SchedulerSettings = { ...defaultSettings().scheduler, cooldownSeconds: 0 };
const scheduler = createScheduler({
  clock: systemClock,
  logger,
  activity: activity.source,
  settings: () => settings,
  savePause: async (pause) => void (settings = { ...settings, pause }),
  apps: async () => ({ names: new Set<string>() }),
  fullscreen: async () => ({ fullscreen: false, app: null }),
  gpu: noGpuSignals('not measured here'),
  jobs,
  enabledDevices: () => ['cpu'],
  onStatus: () => undefined,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}
const alive = processAlive;

scheduler.start();
const samples: number[] = [];
try {
  for (let i = 0; i < trials; i++) {
    activity.apply({ kind: 'idle', seconds: 3600 });
    scheduler.forgetActivityMarks();
    await until(() => scheduler.status().state === 'running', 60_000, 'the job to run');
    // Set by the onWorkerPid callback, which control-flow analysis cannot see.
    const workerPid = pid as number | null;
    if (workerPid === null) throw new Error('no worker pid');
    await sleep(50 + Math.random() * 250); // land somewhere inside an inference
    goneAt = 0;
    const t0 = performance.now();
    activity.apply({ kind: 'input' });
    await until(() => goneAt > 0, 5000, 'the worker to exit');
    const ms = goneAt - t0;
    if (alive(workerPid)) throw new Error(`worker ${workerPid} still exists after its exit event`);
    samples.push(ms);
    await until(() => scheduler.status().state === 'waiting', 5000, 'the scheduler to settle');
  }
} finally {
  await scheduler.stop();
  await jobs.stop?.();
  await rm(dir, { recursive: true, force: true });
}
samples.sort((a, b) => a - b);
const pct = (p: number): number => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)]!;
process.stdout.write(`trials ${samples.length}, min ${samples[0]!.toFixed(1)} ms, max ${samples.at(-1)!.toFixed(1)} ms\n`);
process.stdout.write(`figure scheduler.reaction_p50_ms ${pct(50).toFixed(1)} ms\n`);
process.stdout.write(`figure scheduler.reaction_p99_ms ${pct(99).toFixed(1)} ms\n`);
