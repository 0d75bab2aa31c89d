/**
 *   node --import tsx bench/chain-faults.ts [--trials 10]
 * Prints:
 *   figure faults.chain_trials  — trials run
 *   figure faults.chain_lost    — jobs not paid exactly once with the ledger equal to the chain
 * Each trial: the local chain killed under Hearth mid-job (an OOM kill, a crash, a user's `kill`), right
 * after the claim, so the node may come back from a state file that predates it: the chain
 * status says why while it is down, Hearth starts the chain again by itself, and the job ends
 * paid exactly once with the ledger equal to the chain.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { createProvider } from '../core/provider.ts';
import { attach } from '../common/contracts/deploy.ts';
import type { Deployment } from '../common/contracts/addresses.ts';
import { tempDir, testPorts, waitFor } from '../core/test-support.ts';
import { dispatchCaller, localChainReady, postCpuJob, registerCpuProvider, type ChainView, type JobView } from '../core/market/testing/local-earning.ts';

process.env.HEARTH_TEST_HOOKS = '1';

/** One trial; throws (with the job's last state) when the job is not paid exactly once with the ledger equal to the chain. */
async function trial(): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const data = await tempDir('hearth-devnet-kill-');
  const provider = await createProvider(testPorts(data.dir));
  const call = dispatchCaller(provider);
  const ready = (what: string, not?: string) =>
    waitFor(async () => {
      const s = await call<ChainView>('chain:status');
      return s.connection === 'ready' && s.devnet.state === 'ready' && s.network.rpcUrls[0] !== not ? s : undefined;
    }, what, 60_000);
  // The requester's result endpoint: accepts at once, so delivery takes no retries.
  const results = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{"ok":true}')));
  await new Promise<void>((resolve) => results.listen(0, '127.0.0.1', resolve));
  const resultUri = `http://127.0.0.1:${(results.address() as AddressInfo).port}/result`;
  try {
    const first = await localChainReady(call);
    await registerCpuProvider(call);

    const deployment = JSON.parse(await readFile(join(data.dir, 'chain', 'deployment.json'), 'utf8')) as Deployment;
    const poster = new JsonRpcProvider(first.network.rpcUrls[0], 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    const jobId = (await postCpuJob(poster, deployment, { account: 16, seed: 5, resultUri, deadlineSeconds: 600 }).finally(() => poster.destroy())).toString();
    // Past the state interval: the posted job is on disk; the claim that follows will not be yet.
    await new Promise((r) => setTimeout(r, 6000));
    const jobNow = async (): Promise<JobView | undefined> => (await call<{ jobs: JobView[] }>('market:jobs')).jobs.find((j) => j.jobId === jobId);
    await waitFor(async () => ((await jobNow())?.state === 'seen' ? true : undefined), 'Hearth to see the job', 30_000);

    await call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    await waitFor(async () => (['claimed', 'running', 'delivering', 'committing', 'committed'].includes((await jobNow())?.state ?? '') ? true : undefined), 'the claim', 60_000);
    const port = new URL(first.network.rpcUrls[0]!).port;
    const pids = execFileSync('pgrep', ['-f', `anvil.*--port ${port}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.ok(pids.length > 0, 'found the anvil process');
    // Hearth may restart the node within a few hundred ms, faster than any poll: watch the
    // status events, which carry every state it passes through.
    let outage: ChainView | undefined;
    const unwatch = provider.onEvent((channel, payload) => {
      const s = payload as ChainView;
      if (channel === 'chain:status' && s.connection !== 'ready') outage ??= s;
    });
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');

    const down = await waitFor(async () => outage, 'the chain status to show the outage', 10_000).finally(unwatch);
    assert.match(down.error ?? '', /local chain stopped|restarting|did not answer|no usable answer/i, `readable: ${down.error}`);
    const second = await ready('the chain to come back', first.network.rpcUrls[0]);

    const FINAL = ['paid', 'declined', 'failed', 'abandoned', 'expired', 'faulted'];
    const rpc = new JsonRpcProvider(second.network.rpcUrls[0], 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    // Once the result is committed, the chain's clock skips the challenge window (no waiting in a test).
    const miner = setInterval(() => {
      void jobNow()
        .then((job) => (job?.state === 'committed' ? rpc.send('evm_increaseTime', [3600]).then(() => rpc.send('evm_mine', [])) : undefined))
        .catch(() => undefined);
    }, 1000);
    let end: JobView;
    let last = '';
    try {
      end = await waitFor(async () => {
        const job = await jobNow();
        const m = await call<{ state: string; reason: string }>('market:status');
        last = `job ${job?.state} (${job?.reason}); market ${m.state}: ${m.reason}`;
        return job && FINAL.includes(job.state) ? job : undefined;
      }, 'the job to end', 180_000, () => last);
    } finally {
      clearInterval(miner);
    }
    assert.equal(end.state, 'paid', `ended ${end.state}: ${end.reason}`);
    const c = attach(deployment, rpc);
    const market = c.markets.find((m) => m.classLabel === 'cpu')!;
    assert.equal((await market.contract.queryFilter(market.contract.filters.JobClaimed!(BigInt(jobId)))).length, 1, 'claimed once on the chain that survived');
    const settled = await market.contract.queryFilter(market.contract.filters.JobSettled!(BigInt(jobId)));
    assert.equal(settled.length, 1);
    assert.equal(end.earnedWei, (settled[0] as unknown as { args: { providerAmount: bigint } }).args.providerAmount.toString());
    const status = await call<{ reconciliation: { ok: boolean; message: string | null } }>('market:reconcile');
    assert.equal(status.reconciliation.ok, true, status.reconciliation.message ?? '');
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    rpc.destroy();
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await provider.stop();
    results.close();
    await data.cleanup();
  }
}

const at = process.argv.indexOf('--trials');
const trials = at > 0 ? Number(process.argv[at + 1]) : 10;
let lost = 0;
for (let i = 0; i < trials; i++) {
  const began = Date.now();
  try {
    await trial();
    console.log(`trial ${i + 1}: paid once, ledger equals chain (${Math.round((Date.now() - began) / 1000)} s)`);
  } catch (error) {
    lost++;
    console.log(`trial ${i + 1}: LOST: ${error instanceof Error ? error.message : String(error)}`);
  }
}
console.log(`figure faults.chain_trials ${trials} trials`);
console.log(`figure faults.chain_lost ${lost} jobs`);
process.exit(lost > 0 ? 1 : 0);
