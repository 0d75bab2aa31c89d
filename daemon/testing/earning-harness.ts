/**
 * A real `hearth daemon` earning on its own local chain, for tests and benches that kill it
 * (SIGKILL) and start it again on the same data folder: start, ready, kill, onboarding, and a
 * requester with its own key posting recognizer jobs.
 *
 * The local chain lives and dies with the daemon: Hearth starts Anvil behind a guard that,
 * when the daemon dies in any way, SIGTERMs Anvil so it writes its state file and exits. The
 * next start loads that file (on a new port). `killDaemon` therefore also waits for the old
 * chain to have exited, so the restarted daemon finds the chain as the dead one left it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { deploymentSchema, type Deployment } from '../../common/contracts/addresses.ts';
import type { MarketJobView } from '../../common/ipc/groups/market.ts';
import { devAccounts } from '../../core/chain/devnet.ts';
import { builtinCatalog } from '../../core/worker/index.ts';
import { connectRequesterChain, postJob, type JobServer, type PostedJob, type RequesterChain } from '../../core/requester/index.ts';
import { transact } from '../../core/requester/chain.ts';
import { waitFor } from '../../core/test-support.ts';
import { connectToRunning, type Connection } from '../cli/connect.ts';
import { readRuntimeFile } from '../runtime-file.ts';
import { repoRoot } from '../daemon.ts';

export const PASSWORD = 'correct horse battery';
/** The requester's dev account (not the simulator's, not the deployer's). */
export const REQUESTER_ACCOUNT = 12;
const RECOGNIZER = builtinCatalog.find((m) => m.id === 'paddleocr-rec-v4')!;

export type Api = Connection;

export interface DaemonRun {
  child: ChildProcess;
  api: Api;
  /** From spawn to the first successful connectToRunning. */
  readyMs: number;
}

export interface HarnessOptions {
  dataDir: string;
  /** Run the TypeScript sources (tests of the code as it is) rather than dist/daemon (benches). */
  fromSources: boolean;
  /** Receives progress lines. */
  step: (text: string) => void;
  /** The daemon's stdout and stderr go here (a diagnostics tail). */
  log: string[];
}

/** The last lines the daemons wrote, for a failure message. */
export function logTail(log: string[], lines = 40): string {
  return `--- daemon log ---\n${log.join('').split('\n').slice(-lines).join('\n')}`;
}

/** A spawned daemon that may not answer yet. */
export interface SpawnedDaemon {
  child: ChildProcess;
  /** Settles once the runtime file names this process and connectToRunning succeeds. */
  ready: Promise<DaemonRun>;
}

/**
 * Spawns `hearth daemon` on `dataDir`. Ready is "connectToRunning succeeds for this very
 * process": the token is read from the runtime file, never from stdout.
 */
export function spawnDaemon(o: HarnessOptions): SpawnedDaemon {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_TEST_HOOKS: '1', HEARTH_SIMULATOR: 'off', FORCE_COLOR: '0' };
  if (o.fromSources) env.HEARTH_FROM_SOURCES = '1';
  else delete env.HEARTH_FROM_SOURCES;
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'hearth.mjs'), 'daemon', '--data-dir', o.dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const keep = (chunk: Buffer) => {
    o.log.push(chunk.toString('utf8'));
    if (o.log.length > 400) o.log.splice(0, o.log.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = String(code ?? signal)));
  const ready = waitFor(
    async () => {
      if (exited !== undefined) throw new Error(`the daemon exited (${exited}) before it was ready`);
      const info = await readRuntimeFile(o.dataDir);
      if (info?.pid !== child.pid) return undefined;
      return connectToRunning(o.dataDir);
    },
    'the daemon to answer',
    60_000,
    () => logTail(o.log),
  ).then((api) => ({ child, api, readyMs: Date.now() - started }));
  return { child, ready };
}

/** Spawns the daemon and waits until it answers (killing it when it never does). */
export async function startDaemon(o: HarnessOptions): Promise<DaemonRun> {
  const spawned = spawnDaemon(o);
  return spawned.ready.catch((error: unknown) => {
    spawned.child.kill('SIGKILL');
    throw error;
  });
}

/** The chain ready (and the wallet unlocked when asked). */
export async function whenChainReady(api: Api, unlock: boolean, o: HarnessOptions): Promise<void> {
  await waitFor(
    async () => {
      const s = await api.client.call('chain:status', {});
      return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
    },
    'the local chain',
    60_000,
    () => logTail(o.log),
  );
  if (unlock) await api.client.call('wallet:unlock', { password: PASSWORD });
}

/** Matches the daemon's Anvil (and its guard) by the state file on their command line. */
function chainProcesses(dataDir: string): number[] {
  const result = spawnSync('pgrep', ['-f', `--state ${join(dataDir, 'chain', 'state.json')}`], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

/** SIGKILLs the daemon, then waits for its chain to save its state and exit (see above). */
export async function killDaemon(run: { child: ChildProcess; api?: Api }, dataDir: string): Promise<void> {
  run.api?.close();
  if (run.child.exitCode === null && run.child.signalCode === null) {
    await new Promise<void>((resolve) => {
      run.child.once('exit', () => resolve());
      run.child.kill('SIGKILL');
    });
  }
  await waitFor(async () => (chainProcesses(dataDir).length === 0 ? true : undefined), 'the dead daemon\'s chain to exit', 30_000);
}

/** A new wallet with test funds, registered and staked in the cpu market. */
export async function onboard(api: Api, stake: string): Promise<string> {
  const status = await api.client.call('wallet:import', { kind: 'privateKey', privateKey: Wallet.createRandom().privateKey, password: PASSWORD });
  await api.client.call('wallet:get-test-funds', {});
  await waitFor(
    async () => {
      const p = await api.client.call('market:preview-register', { classLabel: 'cpu', stake });
      return p.problem === null ? p : undefined;
    },
    'test funds',
    30_000,
  );
  await api.client.call('market:register', { classLabel: 'cpu', stake });
  return status.selected!;
}

/** The protocol's addresses, as the daemon's chain keeps them. */
export async function readDeployment(dataDir: string): Promise<Deployment> {
  return deploymentSchema.parse(JSON.parse(await readFile(join(dataDir, 'chain', 'deployment.json'), 'utf8')));
}

/** The requester on the daemon's current chain (its port changes with every start). */
export async function connectRequester(api: Api, deployment: Deployment): Promise<RequesterChain> {
  const rpcUrl = (await api.client.call('chain:status', {})).network.rpcUrls[0]!;
  return connectRequesterChain(rpcUrl, deployment, devAccounts()[REQUESTER_ACCOUNT]!.privateKey);
}

/** Drips the faucet to the requester (once, before its first job). */
export async function fundRequester(requester: RequesterChain): Promise<void> {
  await requester.send(() => transact(requester.faucet!, 'drip', requester.address));
}

/** Posts a cpu job of `units` rows of the OCR recognizer, generated from `seed`. */
export function postRecognizerJob(requester: RequesterChain, server: JobServer, units: number, seed: number, maxPricePerUnit = 10n ** 16n): Promise<PostedJob> {
  return postJob({ chain: requester, server, classLabel: 'cpu', model: { id: RECOGNIZER.id, sha256: RECOGNIZER.sha256 }, inputs: { seed }, units, maxPricePerUnit, deadlineSeconds: 500 });
}

/** Every job in the ledger (newest first). */
export async function ledgerJobs(api: Api): Promise<MarketJobView[]> {
  return (await api.client.call('market:jobs', { limit: 500 })).jobs;
}

/** Lets the scheduler run paid work: the scripted user has been away for an hour. */
export async function letWorkRun(api: Api): Promise<void> {
  await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
}
