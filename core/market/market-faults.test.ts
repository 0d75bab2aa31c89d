/**
 * The earning loop through a faulty RPC and a stepping clock: Hearth follows a network the
 * user added (a fault proxy in front of the local Anvil). While a job waits, the RPC answers
 * HTML error pages (the chain status says so), then the wall clock steps a day forward and
 * two back; once the result is committed, the RPC drops its answers for a while (the node
 * still gets every call). Afterwards: the job is claimed, committed and paid once, and the
 * ledger equals the chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonRpcProvider } from 'ethers';
import { createProvider } from '../provider.ts';
import { attach } from '../../common/contracts/deploy.ts';
import { startFaultProxy, type FaultProxy } from '../chain/testing/fault-proxy.ts';
import { steppingClock, tempDir, testPorts, waitFor } from '../test-support.ts';
import { dispatchCaller, localChainReady, postCpuJob, registerCpuProvider, selectAddedNetwork, type ChainView, type JobView } from './testing/local-earning.ts';

process.env.HEARTH_TEST_HOOKS = '1';
const DAY = 86_400_000;
const UNREADABLE = /\[object Object\]|BigInt|Unexpected token|is not a function|undefined/;

test('faulty RPC and a stepping clock: the job is still claimed once, run and paid; the ledger equals the chain', { timeout: 120_000 }, async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const data = await tempDir('hearth-market-faults-');
  const clock = steppingClock();
  const provider = await createProvider(testPorts(data.dir, { clock }));
  const call = dispatchCaller(provider);
  let miner: NodeJS.Timeout | undefined;
  let proxy: FaultProxy | undefined;
  try {
    const chain = await localChainReady(call);
    const nodeUrl = chain.network.rpcUrls[0]!;
    await registerCpuProvider(call);

    proxy = await startFaultProxy(nodeUrl);
    const deployment = await selectAddedNetwork(call, data.dir, 'Faulty RPC', proxy.url);
    const rpc = new JsonRpcProvider(nodeUrl, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    miner = setInterval(() => void rpc.send('evm_mine', []).catch(() => undefined), 1000);

    // A requester posts a job with 400 s to go by the chain's clock.
    const jobId = (await postCpuJob(rpc, deployment, { account: 15, seed: 7, resultUri: 'http://127.0.0.1:9/unused', deadlineSeconds: 400 })).toString();
    const market = attach(deployment, rpc).markets.find((m) => m.classLabel === 'cpu')!;
    const jobNow = async (): Promise<JobView | undefined> => (await call<{ jobs: JobView[] }>('market:jobs')).jobs.find((j) => j.jobId === jobId);
    await waitFor(async () => ((await jobNow())?.state === 'seen' ? true : undefined), 'Hearth to see the job', 30_000);

    // The RPC turns into a gateway's error page: the chain status and the market say why, readably.
    proxy.setMode('html');
    const down = await waitFor(async () => {
      const s = await call<ChainView>('chain:status');
      return s.connection === 'unreachable' ? s : undefined;
    }, 'the chain status to show the fault', 20_000);
    assert.match(down.error ?? '', /HTTP 502/);
    assert.doesNotMatch(down.error ?? '', UNREADABLE);
    const marketDown = await call<{ state: string; reason: string }>('market:status');
    assert.equal(marketDown.state, 'no-network');
    assert.match(marketDown.reason, /HTTP 502/);

    proxy.setMode('pass');
    await waitFor(async () => ((await call<ChainView>('chain:status')).connection === 'ready' ? true : undefined), 'the chain status to recover', 20_000);

    // The wall clock is a day fast for two market ticks (remote networks tick every 4 s): by the
    // chain's clock the job is still open, so it must stay a candidate, not be given up.
    clock.jump(DAY);
    await new Promise((r) => setTimeout(r, 9000));
    const waiting = await jobNow();
    assert.equal(waiting?.state, 'seen', `still open by the chain's clock: ${waiting?.state} (${waiting?.reason})`);
    // Then two days back (NTP, a user fixing the time): the rest runs with the clock a day slow,
    // and the market loop must keep ticking rather than wait a day for the clock to catch up.
    clock.jump(-2 * DAY);
    await new Promise((r) => setTimeout(r, 1500));

    // The machine is idle: the job is claimed and run; once committed, every answer is dropped
    // for 3 s while Hearth waits to collect (the node still gets each call, sent transactions too).
    await call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    const FINAL = ['paid', 'declined', 'failed', 'abandoned', 'expired', 'faulted'];
    const reached = (states: string[], what: string, ms: number) =>
      waitFor(async () => {
        const job = await jobNow();
        return job && (states.includes(job.state) || FINAL.includes(job.state)) ? job : undefined;
      }, what, ms);
    const committed = await reached(['committed', 'settling'], 'the commit', 60_000);
    assert.ok(!FINAL.includes(committed.state) || committed.state === 'paid', `ended ${committed.state}: ${committed.reason}`);
    proxy.setMode('drop');
    await rpc.send('evm_increaseTime', [3600]); // past the challenge window: collecting is due
    await new Promise((r) => setTimeout(r, 3000));
    proxy.setMode('pass');
    const paid = await reached(['paid'], 'the job to be paid', 60_000);
    assert.equal(paid.state, 'paid', `ended ${paid.state}: ${paid.reason}`);

    assert.equal((await market.contract.queryFilter(market.contract.filters.JobClaimed!(BigInt(jobId)))).length, 1, 'claimed once');
    assert.equal((await market.contract.queryFilter(market.contract.filters.JobCommitted!(BigInt(jobId)))).length, 1, 'committed once');
    const settled = await market.contract.queryFilter(market.contract.filters.JobSettled!(BigInt(jobId)));
    assert.equal(settled.length, 1);
    assert.equal(paid.earnedWei, (settled[0] as unknown as { args: { providerAmount: bigint } }).args.providerAmount.toString());
    const status = await call<{ jobsPaid: number; reconciliation: { ok: boolean; message: string | null } }>('market:reconcile');
    assert.equal(status.jobsPaid, 1);
    assert.equal(status.reconciliation.ok, true, status.reconciliation.message ?? '');
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    rpc.destroy();
  } finally {
    process.off('unhandledRejection', onUnhandled);
    if (miner) clearInterval(miner);
    await proxy?.close();
    await provider.stop();
    await data.cleanup();
  }
});
