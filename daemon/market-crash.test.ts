/**
 * Hearth killed (SIGKILL) in the middle of the earning loop: once while a claimed job runs
 * (between claim and commit) and once between commit and settle. After each restart the
 * job finishes and is paid exactly once, it was claimed exactly once, and the ledger equals
 * the chain. A real `hearth daemon`, the real local chain kept in its data folder, a
 * requester with its own key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { deploymentSchema } from '../common/contracts/addresses.ts';
import { devAccounts } from '../core/chain/devnet.ts';
import { builtinCatalog } from '../core/worker/index.ts';
import { connectRequesterChain, postJob, startJobServer } from '../core/requester/index.ts';
import { tempDir, waitFor } from '../core/test-support.ts';
import { connectToRunning } from './cli/connect.ts';
import { repoRoot } from './daemon.ts';

const PASSWORD = 'correct horse battery';
const log: string[] = [];
const step = (text: string) => process.stderr.write(`# ${new Date().toISOString()} ${text}\n`);

function startDaemon(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'hearth.mjs'), 'daemon', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HEARTH_FROM_SOURCES: '1', HEARTH_TEST_HOOKS: '1', HEARTH_SIMULATOR: 'off', FORCE_COLOR: '0' },
  });
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Hearth ready at')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`daemon exited (${code}) before it was ready: ${out}`)));
  });
}

function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  step(`waiting for ${what}`);
  return waitFor(probe, what, timeoutMs, () => `--- daemon log ---\n${log.join('').split('\n').slice(-40).join('\n')}`);
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type Api = Awaited<ReturnType<typeof connectToRunning>>;

async function ready(dataDir: string, unlock: boolean): Promise<Api> {
  const api = await connectToRunning(dataDir);
  await until('the local chain', 60_000, async () => {
    const s = await api.client.call('chain:status', {});
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  });
  if (unlock) await api.client.call('wallet:unlock', { password: PASSWORD });
  return api;
}

const lastSeen = new Map<bigint, string>();
async function jobState(api: Api, jobId: bigint) {
  const { jobs } = await api.client.call('market:jobs', {});
  const job = jobs.find((j) => j.jobId === jobId.toString());
  const seen = `${jobId}:${job?.state ?? 'not in the ledger'}:${job?.reason ?? ''}`;
  if (seen !== lastSeen.get(jobId)) step(`job ${seen}`);
  lastSeen.set(jobId, seen);
  return job;
}

test('a daemon SIGKILLed mid-job and between commit and settle still gets every job paid once, claimed once, ledger equal to the chain', { timeout: 300_000 }, async () => {
  const data = await tempDir('hearth-crash-');
  let daemon = await startDaemon(data.dir);
  let api = await ready(data.dir, false);
  lastSeen.clear();
  const server = await startJobServer();
  try {
    await api.client.call('wallet:import', { kind: 'privateKey', privateKey: Wallet.createRandom().privateKey, password: PASSWORD });
    await api.client.call('wallet:get-test-funds', {});
    await until('test funds', 30_000, async () => {
      const p = await api.client.call('market:preview-register', { classLabel: 'cpu', stake: '130' });
      return p.problem === null ? p : undefined;
    });
    await api.client.call('market:register', { classLabel: 'cpu', stake: '130' });

    const deployment = deploymentSchema.parse(JSON.parse(await readFile(join(data.dir, 'chain', 'deployment.json'), 'utf8')));
    // The local chain dies with Hearth and comes back (from its state file) on a new port.
    const requesterOn = async (a: Api) => connectRequesterChain((await a.client.call('chain:status', {})).network.rpcUrls[0]!, deployment, devAccounts()[12]!.privateKey);
    let requester = await requesterOn(api);
    await (await (requester.faucet!.getFunction('drip')(requester.address) as Promise<{ wait(): Promise<unknown> }>)).wait();
    const recognizer = builtinCatalog.find((m) => m.id === 'paddleocr-rec-v4')!;
    const post = (units: number, seed: number) =>
      postJob({ chain: requester, server, classLabel: 'cpu', model: { id: recognizer.id, sha256: recognizer.sha256 }, inputs: { seed }, units, maxPricePerUnit: 10n ** 16n, deadlineSeconds: 500 });

    // 1. Killed while the claimed job runs (64 rows of the recognizer take a couple of seconds here).
    const a = await post(64, 1);
    await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    await until('job A running', 120_000, async () => ((await jobState(api, a.jobId))?.state === 'running' ? true : undefined));
    api.close();
    requester.provider.destroy();
    await kill(daemon);

    daemon = await startDaemon(data.dir);
    api = await ready(data.dir, true);
    requester = await requesterOn(api);
    const onChain = (await requester.market('cpu').contract.getFunction('jobState')(a.jobId)) as [bigint, bigint, bigint, bigint];
    assert.ok(Number(onChain[3]) >= 1, 'job A was claimed on-chain before Hearth died');
    await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    // 2. Job B posted meanwhile; Hearth is killed once B is committed, before its window ends.
    const b = await post(8, 2);
    await until('job B committed', 120_000, async () => ((await jobState(api, b.jobId))?.state === 'committed' ? true : undefined));
    api.close();
    requester.provider.destroy();
    await kill(daemon);

    daemon = await startDaemon(data.dir);
    api = await ready(data.dir, true);
    requester = await requesterOn(api);
    const market = requester.market('cpu').contract;
    await api.client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    const [paidA, paidB] = await until('both jobs paid', 150_000, async () => {
      const ja = await jobState(api, a.jobId);
      const jb = await jobState(api, b.jobId);
      for (const j of [ja, jb]) if (j && ['declined', 'failed', 'abandoned', 'expired', 'faulted'].includes(j.state)) throw new Error(`job ${j.jobId} ended ${j.state}: ${j.reason}`);
      return ja?.state === 'paid' && jb?.state === 'paid' ? [ja, jb] : undefined;
    });

    // Claimed once each; paid exactly what the chain paid.
    for (const [job, paid] of [
      [a, paidA],
      [b, paidB],
    ] as const) {
      const claims = await market.queryFilter(market.filters.JobClaimed!(job.jobId), a.postedBlock);
      assert.equal(claims.length, 1, `job ${job.jobId} claimed once`);
      const settled = await market.queryFilter(market.filters.JobSettled!(job.jobId), a.postedBlock);
      assert.equal(settled.length, 1);
      assert.equal(paid.earnedWei, (settled[0] as unknown as { args: { providerAmount: bigint } }).args.providerAmount.toString());
    }
    const detailA = await api.client.call('market:job', { key: paidA.key });
    assert.ok(detailA.events.some((e) => /restarted/.test(e.detail ?? '')), 'the timeline says Hearth restarted mid-job');
    const status = await api.client.call('market:reconcile', {});
    assert.equal(status.jobsPaid, 2);
    assert.equal(status.reconciliation.ok, true, status.reconciliation.message ?? '');
    requester.provider.destroy();
  } finally {
    api.close();
    await kill(daemon).catch(() => undefined);
    await server.close();
    await data.cleanup();
  }
});
