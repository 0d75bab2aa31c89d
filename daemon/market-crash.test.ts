/**
 * Hearth killed (SIGKILL) in the middle of the earning loop: once while a claimed job runs
 * (between claim and commit) and once between commit and settle. After each restart the
 * job finishes and is paid exactly once, it was claimed exactly once, and the ledger equals
 * the chain. A real `hearth daemon`, the real local chain kept in its data folder, a
 * requester with its own key. (Random kill points over many trials: daemon-kills.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startJobServer } from '../core/requester/index.ts';
import { tempDir, waitFor } from '../core/test-support.ts';
import {
  connectRequester,
  fundRequester,
  killDaemon,
  letWorkRun,
  logTail,
  onboard,
  postRecognizerJob,
  readDeployment,
  startDaemon,
  whenChainReady,
  type Api,
  type HarnessOptions,
} from './testing/earning-harness.ts';

const step = (text: string) => process.stderr.write(`# ${new Date().toISOString()} ${text}\n`);

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
  const h: HarnessOptions = { dataDir: data.dir, fromSources: true, step, log: [] };
  const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => {
    step(`waiting for ${what}`);
    return waitFor(probe, what, timeoutMs, () => logTail(h.log));
  };
  let run = await startDaemon(h);
  await whenChainReady(run.api, false, h);
  lastSeen.clear();
  const server = await startJobServer();
  try {
    await onboard(run.api, '130');
    const deployment = await readDeployment(data.dir);
    // The local chain dies with Hearth and comes back (from its state file) on a new port.
    let requester = await connectRequester(run.api, deployment);
    await fundRequester(requester);

    // 1. Killed while the claimed job runs (64 rows of the recognizer take a couple of seconds here).
    const a = await postRecognizerJob(requester, server, 64, 1);
    await letWorkRun(run.api);
    await until('job A running', 120_000, async () => ((await jobState(run.api, a.jobId))?.state === 'running' ? true : undefined));
    requester.close();
    await killDaemon(run, data.dir);

    run = await startDaemon(h);
    await whenChainReady(run.api, true, h);
    requester = await connectRequester(run.api, deployment);
    const onChain = (await requester.market('cpu').contract.getFunction('jobState')(a.jobId)) as [bigint, bigint, bigint, bigint];
    assert.ok(Number(onChain[3]) >= 1, 'job A was claimed on-chain before Hearth died');
    await letWorkRun(run.api);
    // 2. Job B posted meanwhile; Hearth is killed once B is committed, before its window ends.
    const b = await postRecognizerJob(requester, server, 8, 2);
    await until('job B committed', 120_000, async () => ((await jobState(run.api, b.jobId))?.state === 'committed' ? true : undefined));
    requester.close();
    await killDaemon(run, data.dir);

    run = await startDaemon(h);
    await whenChainReady(run.api, true, h);
    requester = await connectRequester(run.api, deployment);
    const market = requester.market('cpu').contract;
    await letWorkRun(run.api);
    const api = run.api;
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
    requester.close();
  } finally {
    await killDaemon(run, data.dir).catch(() => undefined);
    await server.close();
    await data.cleanup();
  }
});
