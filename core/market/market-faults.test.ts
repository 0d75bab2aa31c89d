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
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager, Wallet, encodeBase64, toUtf8Bytes } from 'ethers';
import { createProvider } from '../provider.ts';
import { attach } from '../../common/contracts/deploy.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { hashBytes, modelHashOf, type JobInputDocument } from '../../common/market/job-format.ts';
import { builtinCatalog } from '../worker/index.ts';
import { devAccounts } from '../chain/devnet.ts';
import { startFaultProxy, type FaultProxy } from '../chain/testing/fault-proxy.ts';
import { steppingClock, tempDir, testPorts, waitFor } from '../test-support.ts';

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
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const envelope = await provider.dispatch(channel, payload);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.message}`);
    return envelope.value as T;
  };
  type Chain = { connection: string; error: string | null; devnet: { state: string }; network: { rpcUrls: string[] } };
  type Job = { jobId: string; state: string; reason: string | null; earnedWei: string | null };
  let miner: NodeJS.Timeout | undefined;
  let proxy: FaultProxy | undefined;
  try {
    const chain = await waitFor(async () => {
      const s = await call<Chain>('chain:status');
      return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
    }, 'the local chain', 60_000);
    const nodeUrl = chain.network.rpcUrls[0]!;
    await call('wallet:import', { kind: 'privateKey', privateKey: Wallet.createRandom().privateKey, password: 'correct horse battery' });
    await call('wallet:get-test-funds');
    await waitFor(async () => ((await call<{ problem: string | null }>('market:preview-register', { classLabel: 'cpu', stake: '130' })).problem === null ? true : undefined), 'test funds', 30_000);
    await call('market:register', { classLabel: 'cpu', stake: '130' });

    proxy = await startFaultProxy(nodeUrl);
    const json = await readFile(join(data.dir, 'chain', 'deployment.json'), 'utf8');
    const net = await call<{ id: string }>('chain:add-network', { name: 'Faulty RPC', chainId: 31337, rpcUrls: [proxy.url] });
    await call('chain:set-deployment', { id: net.id, json });
    await call('chain:select-network', { id: net.id });
    const rpc = new JsonRpcProvider(nodeUrl, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    miner = setInterval(() => void rpc.send('evm_mine', []).catch(() => undefined), 1000);

    // A requester posts a job with 400 s to go by the chain's clock.
    const deployment = JSON.parse(json) as Deployment;
    const requester = new NonceManager(new Wallet(devAccounts()[15]!.privateKey, rpc));
    const c = attach(deployment, requester);
    const market = c.markets.find((m) => m.classLabel === 'cpu')!;
    await (await c.faucet!.getFunction('drip')(await requester.getAddress())).wait();
    await (await c.token.getFunction('approve')(market.address, 10n ** 24n)).wait();
    const model = builtinCatalog.find((m) => m.id === 'paddleocr-cls-v2')!;
    const values = new Float32Array(3 * 48 * 192).map((_, i) => (i % 7) / 7);
    const doc: JobInputDocument = {
      version: 1,
      model: model.id,
      inputs: { x: { dtype: 'float32', dims: [1, 3, 48, 192], data: encodeBase64(new Uint8Array(values.buffer)) } },
      resultUri: 'http://127.0.0.1:9/unused',
    };
    const bytes = toUtf8Bytes(JSON.stringify(doc));
    const deadline = BigInt((await rpc.getBlock('latest'))!.timestamp) + 400n;
    const posted = await (await market.contract.getFunction('post')(modelHashOf(model.sha256), hashBytes(bytes), `data:application/json;base64,${encodeBase64(bytes)}`, 1, 10n ** 16n, deadline)).wait();
    const jobId = BigInt(market.contract.interface.parseLog((posted as { logs: { topics: string[]; data: string }[] }).logs.at(-1)!)!.args[0] as bigint).toString();
    const jobNow = async (): Promise<Job | undefined> => (await call<{ jobs: Job[] }>('market:jobs')).jobs.find((j) => j.jobId === jobId);
    await waitFor(async () => ((await jobNow())?.state === 'seen' ? true : undefined), 'Hearth to see the job', 30_000);

    // The RPC turns into a gateway's error page: the chain status and the market say why, readably.
    proxy.setMode('html');
    const down = await waitFor(async () => {
      const s = await call<Chain>('chain:status');
      return s.connection === 'unreachable' ? s : undefined;
    }, 'the chain status to show the fault', 20_000);
    assert.match(down.error ?? '', /HTTP 502/);
    assert.doesNotMatch(down.error ?? '', UNREADABLE);
    const marketDown = await call<{ state: string; reason: string }>('market:status');
    assert.equal(marketDown.state, 'no-network');
    assert.match(marketDown.reason, /HTTP 502/);

    proxy.setMode('pass');
    await waitFor(async () => ((await call<Chain>('chain:status')).connection === 'ready' ? true : undefined), 'the chain status to recover', 20_000);

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
