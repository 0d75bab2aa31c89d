import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEther } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { demoParams } from '../../common/contracts/params.ts';
import { startProtocolDevnet, type Devnet } from '../chain/devnet.ts';
import { memoryLogger } from '../worker/test-helpers.ts';
import { createModelRunner, type ModelRunner } from './model-runner.ts';
import { SIMULATOR_ACCOUNT_INDEX, simulatorEntry, startDemandSimulator } from './simulator.ts';
import { forkLauncher } from '../node-ports.ts';
import type { LaunchSpec, Launcher } from '../ports.ts';
import { scriptedProvider } from './testing/scripted-provider.ts';
import { processAlive } from '../process-alive.ts';

let devnet: Devnet & { deployment: Deployment };
let runner: ModelRunner;

before(async () => {
  const params = demoParams();
  params.markets = params.markets.map((m) => ({ ...m, challengeWindow: 4, maxJobDuration: 60 }));
  devnet = await startProtocolDevnet({ params, blockTimeSeconds: 0 });
  runner = createModelRunner({ cacheDir: mkdtempSync(join(tmpdir(), 'hearth-sim-')), threads: 1 });
});
after(async () => {
  await runner?.stop();
  await devnet?.stop();
});

const alive = processAlive;
const until = async (what: string, check: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

test('the simulator process posts jobs, verifies and settles a provider\'s result, and stops cleanly', async () => {
  const logger = memoryLogger();
  const sim = startDemandSimulator({
    rpcUrl: devnet.rpcUrl,
    deployment: devnet.deployment,
    requesterKey: devnet.accounts[SIMULATOR_ACCOUNT_INDEX]!.privateKey,
    arbiterKey: devnet.accounts[0]!.privateKey,
    ratePerMinute: 120,
    maxPricePerUnit: parseEther('0.02'),
    classLabels: ['cpu'],
    maxOpen: 2,
    deadlineSeconds: 30,
    dataDir: mkdtempSync(join(tmpdir(), 'hearth-sim-data-')),
    logger,
  });
  const provider = await scriptedProvider({ rpcUrl: devnet.rpcUrl, deployment: devnet.deployment, key: devnet.accounts[8]!.privateKey, classLabel: 'cpu', runner, stake: parseEther('200') });
  try {
    await until('two posted jobs', () => (sim.status().counts.posted ?? 0) >= 2, 45_000);
    const pid = sim.status().pid!;
    assert.ok(alive(pid));
    const first = sim.status().recent.find((e) => e.event === 'posted')!;
    assert.equal(first.model, 'paddleocr-rec-v4');
    assert.equal(first.units, 8);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(sim.status().counts.posted! <= 2, 'never more than maxOpen jobs open');
    await provider.work(BigInt(first.jobId as string), 'honest');
    await until('the job settled', () => (sim.status().counts.settled ?? 0) >= 1, 30_000);
    const settled = sim.status().recent.find((e) => e.event === 'settled')!;
    assert.equal(settled.verified, true);
    assert.equal(settled.provider, provider.address);
    await sim.stop();
    assert.equal(sim.status().running, false);
    assert.equal(alive(pid), false);
    assert.equal(sim.status().restarts, 0);
  } finally {
    provider.close();
    await sim.stop();
  }
});

test('a SIGKILLed parent leaves no simulator behind', { skip: process.platform === 'win32' }, async () => {
  const config = JSON.stringify({
    rpcUrl: devnet.rpcUrl,
    deployment: devnet.deployment,
    requesterKey: devnet.accounts[10]!.privateKey,
    ratePerMinute: 1,
    classLabels: ['cpu'],
    dataDir: mkdtempSync(join(tmpdir(), 'hearth-sim-data-')),
  });
  const host = `
import { startDemandSimulator } from ${JSON.stringify(join(import.meta.dirname, 'simulator.ts'))};
const logger = { debug() {}, info() {}, warn() {}, error() {} };
const sim = startDemandSimulator({ ...${config}, maxPricePerUnit: 10n ** 16n, logger });
const timer = setInterval(() => { const s = sim.status(); if (s.pid) { process.stdout.write(JSON.stringify({ pid: s.pid }) + '\\n'); clearInterval(timer); } }, 50);
setInterval(() => undefined, 1000);
`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', host], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { pid: number }).pid);
    });
    parent.once('exit', (code) => reject(new Error(`host exited early (${code})`)));
  });
  assert.ok(alive(pid), 'the simulator runs while its parent lives');
  parent.kill('SIGKILL');
  await until('the orphaned simulator to exit', () => !alive(pid), 10_000);
});

test('a crashed simulator is restarted with backoff through the shell\'s launcher, and stop() ends the new one', { skip: process.platform === 'win32' }, async () => {
  const logger = memoryLogger();
  // The shell's launcher (utilityProcess in Electron) starts every run, never a fork of our own.
  const launched: LaunchSpec[] = [];
  const launcher: Launcher = { launch: (spec) => (launched.push(spec), forkLauncher.launch(spec)) };
  const sim = startDemandSimulator({
    launcher,
    rpcUrl: devnet.rpcUrl,
    deployment: devnet.deployment,
    requesterKey: devnet.accounts[11]!.privateKey,
    ratePerMinute: 0.01,
    maxPricePerUnit: parseEther('0.02'),
    classLabels: ['cpu'],
    dataDir: mkdtempSync(join(tmpdir(), 'hearth-sim-data-')),
    logger,
    restart: { baseMs: 50, maxMs: 200 },
  });
  try {
    await until('the simulator ready', () => (sim.status().counts.ready ?? 0) >= 1, 30_000);
    const first = sim.status().pid!;
    process.kill(first, 'SIGKILL');
    await until('a restart', () => sim.status().restarts === 1 && sim.status().pid !== null && sim.status().pid !== first, 10_000);
    const second = sim.status().pid!;
    await until('the restarted simulator ready', () => (sim.status().counts.ready ?? 0) >= 2, 30_000);
    await sim.stop();
    assert.equal(alive(second), false);
    assert.equal(sim.status().running, false);
    assert.deepEqual(launched.map((spec) => spec.modulePath), [simulatorEntry().modulePath, simulatorEntry().modulePath]);
  } finally {
    await sim.stop();
  }
});
