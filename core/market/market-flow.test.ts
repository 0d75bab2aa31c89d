/**
 * The earning loop through the real provider: the default run's local chain (Anvil),
 * the real wallet, registration and stake, a job posted by a requester with its own key,
 * the scheduler (scripted idle) running it in the real worker on a real PaddleOCR model,
 * delivery to the requester's HTTP endpoint, commit, settle — and the ledger agreeing with
 * the chain to the wei, also after a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { JsonRpcProvider, NonceManager, Wallet, encodeBase64, toUtf8Bytes } from 'ethers';
import { createProvider, type Provider } from '../provider.ts';
import { contract, type HearthContract } from '../../common/ipc/contract.ts';
import { createClient, type HearthClient } from '../../common/ipc/client.ts';
import { createMemoryPair } from '../../common/ipc/memory-transport.ts';
import { attach } from '../../common/contracts/deploy.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { hashBytes, modelHashOf, resultDelivery, verifyDelivery, type JobInputDocument } from '../../common/market/job-format.ts';
import { builtinCatalog } from '../worker/index.ts';
import { devAccounts } from '../chain/devnet.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

process.env.HEARTH_TEST_HOOKS = '1';


async function open(dir: string): Promise<{ provider: Provider; client: HearthClient<HearthContract> }> {
  const provider = await createProvider(testPorts(dir));
  const pair = createMemoryPair((channel, payload) => provider.dispatch(channel, payload));
  provider.onEvent((channel, payload) => pair.emit(channel, payload));
  const client = createClient(contract, pair.client);
  await waitFor(async () => {
    const s = await client.call('chain:status', {});
    if (s.devnet.state === 'failed') throw new Error(`devnet failed: ${s.devnet.error ?? ''}`);
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  }, 'devnet ready', 90_000);
  return { provider, client };
}

/** A requester's delivery endpoint: keeps what providers POST. */
function resultServer(): Promise<{ server: Server; url: string; received: unknown[] }> {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/result`, received })));
}

/** A new wallet with test funds, registered and staked 130 HRTH in cpu. Returns its key. */
async function registeredInCpu(client: HearthClient<HearthContract>): Promise<string> {
  const key = Wallet.createRandom().privateKey;
  await client.call('wallet:import', { kind: 'privateKey', privateKey: key, password: 'correct horse battery' });
  await client.call('wallet:get-test-funds', {});
  await waitFor(async () => ((await client.call('market:preview-register', { classLabel: 'cpu', stake: '130' })).problem === null ? true : undefined), 'test funds', 30_000);
  await client.call('market:register', { classLabel: 'cpu', stake: '130' });
  return key;
}

/** The market's miss penalty for a class, read from the chain on its own. */
async function chainMissPenalty(client: HearthClient<HearthContract>, dataDir: string, classLabel: string): Promise<bigint> {
  const chain = await client.call('chain:status', {});
  const rpc = new JsonRpcProvider(chain.network.rpcUrls[0], chain.network.chainId, { staticNetwork: true });
  try {
    const deployment = JSON.parse(await readFile(join(dataDir, 'chain', 'deployment.json'), 'utf8')) as Deployment;
    const market = attach(deployment, rpc).markets.find((m) => m.classLabel === classLabel)!;
    return (await market.contract.getFunction('missPenalty')()) as bigint;
  } finally {
    rpc.destroy();
  }
}

/** A requester on the daemon's local chain with dev account `index`: funded, with the cpu market approved to take its escrow. */
async function cpuRequester(client: HearthClient<HearthContract>, dataDir: string, index: number) {
  const chain = await client.call('chain:status', {});
  const rpc = new JsonRpcProvider(chain.network.rpcUrls[0], chain.network.chainId, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  const deployment = JSON.parse(await readFile(join(dataDir, 'chain', 'deployment.json'), 'utf8')) as Deployment;
  const requester = new NonceManager(new Wallet(devAccounts()[index]!.privateKey, rpc));
  const c = attach(deployment, requester);
  const market = c.markets.find((m) => m.classLabel === 'cpu')!;
  await (await c.faucet!.getFunction('drip')(await requester.getAddress())).wait();
  await (await c.token.getFunction('approve')(market.address, 10n ** 24n)).wait();
  return { rpc, deployment, requester, c, market };
}

test('a staked provider runs a posted job and is paid; the ledger equals the chain before and after a restart', { timeout: 240_000 }, async () => {
  const data = await tempDir('hearth-market-');
  const results = await resultServer();
  let { provider, client } = await open(data.dir);
  try {
    // Wallet, test funds, registration with the suggested stake.
    const key = Wallet.createRandom().privateKey;
    await client.call('wallet:import', { kind: 'privateKey', privateKey: key, password: 'correct horse battery' });
    // The very first preview already suggests the minimum plus room for three penalties, as the
    // chain has them: it must not wait for the agent to have read the market (it once
    // suggested the bare minimum first, then jumped).
    const first = await waitFor(() => client.call('market:preview-register', { classLabel: 'cpu', stake: '100' }).catch(() => undefined), 'a first preview', 20_000);
    const penalty = await chainMissPenalty(client, data.dir, 'cpu');
    assert.ok(penalty > 0n);
    assert.equal(BigInt(first.suggestedStakeWei), BigInt(first.minStakeWei) + 3n * penalty);
    await client.call('wallet:get-test-funds', {});
    const me = new Wallet(key).address;
    const before = await waitFor(async () => {
      const s = await client.call('market:status', {});
      return s.state === 'unregistered' ? s : undefined;
    }, 'the market to read the registration', 20_000);
    assert.ok(before.classes.some((c) => c.classLabel === 'cpu' && c.servable));
    const preview = await waitFor(async () => {
      const p = await client.call('market:preview-register', { classLabel: 'cpu', stake: '130' });
      return p.problem === null ? p : undefined;
    }, 'test funds to arrive', 30_000);
    assert.deepEqual(preview.steps.length, 3);
    assert.ok(BigInt(preview.estimatedGasWei) > 0n);
    const registered = await client.call('market:register', { classLabel: 'cpu', stake: '130' });
    assert.ok(registered.classes.find((c) => c.classLabel === 'cpu')?.eligible, 'eligible in cpu after staking');

    // A requester with its own key posts a classifier job whose input is a data: URI.
    const { rpc, deployment, market } = await cpuRequester(client, data.dir, 12);
    const rows = 2;
    const values = new Float32Array(rows * 3 * 48 * 192).map((_, i) => ((i * 7919) % 255) / 255);
    const doc: JobInputDocument = {
      version: 1,
      model: 'paddleocr-cls-v2',
      inputs: { x: { dtype: 'float32', dims: [rows, 3, 48, 192], data: encodeBase64(new Uint8Array(values.buffer)) } },
      resultUri: results.url,
    };
    const bytes = toUtf8Bytes(JSON.stringify(doc));
    const model = builtinCatalog.find((m) => m.id === 'paddleocr-cls-v2')!;
    const block = await rpc.getBlock('latest');
    const deadline = BigInt(block!.timestamp) + 300n;
    await (await market.contract.getFunction('post')(modelHashOf(model.sha256), hashBytes(bytes), `data:application/json;base64,${encodeBase64(bytes)}`, rows, 10n ** 16n, deadline)).wait();

    // The user goes away: the scheduler hands the machine to the paid job.
    await client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    let seenJobs = '';
    const paid = await waitFor(async () => {
      const list = await client.call('market:jobs', {});
      seenJobs = JSON.stringify({ jobs: list.jobs, market: await client.call('market:status', {}), scheduler: (await client.call('scheduler:status', {})).reason, detail: list.jobs[0] ? (await client.call('market:job', { key: list.jobs[0].key })).events : null });
      const job = list.jobs[0];
      if (job && ['declined', 'failed', 'abandoned', 'expired', 'faulted'].includes(job.state)) throw new Error(`job ended ${job.state}: ${job.reason}`);
      return job?.state === 'paid' ? job : undefined;
    }, 'the job to be paid', 150_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${seenJobs}`);
    });

    // The requester received a delivery signed by the provider, matching the committed hash.
    const delivery = resultDelivery.parse(results.received[0]);
    assert.deepEqual(verifyDelivery(delivery), { ok: true });
    assert.equal(delivery.provider.toLowerCase(), me.toLowerCase());
    const detail = await client.call('market:job', { key: paid.key });
    assert.equal(detail.resultHash, delivery.resultHash);
    assert.deepEqual(
      detail.events.map((e) => e.state).filter((s, i, a) => a.indexOf(s) === i),
      ['seen', 'fetching', 'claiming', 'claimed', 'running', 'delivering', 'committing', 'committed', 'settling', 'paid'],
    );
    assert.deepEqual(detail.txs.map((t) => t.label).sort(), ['claim', 'commit', 'settle']);

    // Paid exactly what the chain says: units × price − fee.
    const settled = await market.contract.queryFilter(market.contract.filters.JobSettled!(), deployment.startBlock);
    const amount = (settled.at(-1) as unknown as { args: { providerAmount: bigint } }).args.providerAmount;
    assert.equal(paid.earnedWei, amount.toString());
    const status = await client.call('market:reconcile', {});
    assert.equal(status.jobsPaid, 1);
    assert.equal(status.earnedWei, amount.toString());
    assert.equal(status.reconciliation.ok, true, status.reconciliation.message ?? '');
    rpc.destroy();

    // Restart: the chain and the ledger both kept everything.
    await provider.stop();
    ({ provider, client } = await open(data.dir));
    await client.call('wallet:unlock', { password: 'correct horse battery' });
    const again = await waitFor(async () => {
      const s = await client.call('market:reconcile', {});
      return s.state === 'waiting' ? s : undefined;
    }, 'the market after a restart', 30_000);
    assert.equal(again.jobsPaid, 1);
    assert.equal(again.earnedWei, amount.toString());
    assert.equal(again.reconciliation.ok, true, again.reconciliation.message ?? '');
  } finally {
    await provider.stop();
    results.server.close();
    await data.cleanup();
  }
});

test('broken inputs are declined with a reason and never claimed; a result nobody reads is still committed; a ruling against it is recorded as faulted; an unruled dispute is collected after its deadline', { timeout: 240_000 }, async () => {
  const data = await tempDir('hearth-market-faults-');
  const { provider, client } = await open(data.dir);
  try {
    const key = await registeredInCpu(client);

    const { rpc, requester, c, market } = await cpuRequester(client, data.dir, 13);
    const model = builtinCatalog.find((m) => m.id === 'paddleocr-cls-v2')!;
    const values = new Float32Array(3 * 48 * 192).map((_, i) => (i % 97) / 97);
    const doc: JobInputDocument = {
      version: 1,
      model: model.id,
      inputs: { x: { dtype: 'float32', dims: [1, 3, 48, 192], data: encodeBase64(new Uint8Array(values.buffer)) } },
      // Nobody listens here: the requester never reads the result.
      resultUri: 'http://127.0.0.1:9/never-read',
    };
    const bytes = toUtf8Bytes(JSON.stringify(doc));
    const dataUri = `data:application/json;base64,${encodeBase64(bytes)}`;
    const deadline = BigInt((await rpc.getBlock('latest'))!.timestamp) + 300n;
    const post = async (modelHash: string, inputHash: string, uri: string) => {
      await (await market.contract.getFunction('post')(modelHash, inputHash, uri, 1, 10n ** 16n, deadline)).wait();
    };
    await post(modelHashOf(model.sha256), `0x${'ab'.repeat(32)}`, dataUri); // 1: bytes do not match the hash
    await post(modelHashOf(model.sha256), hashBytes(bytes), 'http://127.0.0.1:9/gone'); // 2: input unreachable
    await post(`0x${'cd'.repeat(32)}`, hashBytes(bytes), dataUri); // 3: a model nobody knows
    await post(modelHashOf(model.sha256), hashBytes(bytes), dataUri); // 4: fine, but its result is never read
    await post(modelHashOf(model.sha256), hashBytes(bytes), dataUri); // 5: disputed, and the arbiter never rules

    await client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    const jobs = await waitFor(async () => {
      const list = (await client.call('market:jobs', {})).jobs;
      const byId = new Map(list.map((j) => [j.jobId, j]));
      const done = ['1', '2', '3'].every((id) => byId.get(id)?.state === 'declined') && ['4', '5'].every((id) => byId.get(id)?.state === 'committed');
      return done ? byId : undefined;
    }, 'three declines and two commits', 120_000);
    assert.match(jobs.get('1')!.reason!, /hash/i);
    assert.match(jobs.get('2')!.reason!, /unreachable|refused|could not/i);
    assert.match(jobs.get('3')!.reason!, /model/i);
    for (const id of [1n, 2n, 3n]) {
      const st = (await market.contract.getFunction('jobState')(id)) as [bigint, bigint, bigint, bigint];
      assert.equal(Number(st[3]), 0, `job ${id} was never claimed`);
    }
    const detail = await client.call('market:job', { key: jobs.get('4')!.key });
    assert.ok(detail.events.some((e) => /did not take the result/.test(e.detail ?? '')), 'the undelivered result is noted');

    // The requester disputes within the window and the arbiter rules against the result.
    const terms = [await requester.getAddress(), 1n, 10n ** 16n, deadline];
    await (await c.token.getFunction('approve')(market.address, 10n ** 24n)).wait();
    await (await market.contract.getFunction('dispute')(4n, terms, detail.resultHash)).wait();
    const arbiter = new Wallet(devAccounts()[0]!.privateKey, rpc);
    const stakeBefore = BigInt((await c.staking.getFunction('classStakes')(new Wallet(key).address, market.classId))[0] as bigint);
    await (await (market.contract.connect(arbiter) as typeof market.contract).getFunction('resolveDispute')(4n, terms, detail.resultHash, true, 10n ** 19n)).wait();
    const faulted = await waitFor(async () => {
      const j = (await client.call('market:jobs', {})).jobs.find((x) => x.jobId === '4');
      return j?.state === 'faulted' ? j : undefined;
    }, 'the ruling in the ledger', 30_000);
    assert.match(faulted.reason!, /slashed/);
    const stakeAfter = BigInt((await c.staking.getFunction('classStakes')(new Wallet(key).address, market.classId))[0] as bigint);
    assert.equal(stakeBefore - stakeAfter, 10n ** 19n);

    // Job 5: disputed in time, but no ruling comes. Past the ruling deadline the market's
    // default outcome pays the provider, and the agent collects it on its own.
    const detail5 = await client.call('market:job', { key: jobs.get('5')!.key });
    await (await market.contract.getFunction('dispute')(5n, terms, detail5.resultHash)).wait();
    await waitFor(async () => ((await client.call('market:jobs', {})).jobs.find((x) => x.jobId === '5')?.state === 'disputed' ? true : undefined), 'the dispute in the ledger', 30_000);
    const rulingPeriod = Number(await market.contract.getFunction('rulingPeriod')());
    await rpc.send('evm_increaseTime', [rulingPeriod + 1]);
    await rpc.send('evm_mine', []);
    const collected = await waitFor(async () => {
      const j = (await client.call('market:jobs', {})).jobs.find((x) => x.jobId === '5');
      return j?.state === 'paid' ? j : undefined;
    }, 'the unruled dispute collected by the agent', 60_000);
    assert.ok(BigInt(collected.earnedWei ?? '0') > 0n);
    const detail5After = await client.call('market:job', { key: collected.key });
    assert.ok(detail5After.txs.some((t) => t.label === 'resolve-expired-dispute' && t.status === 'confirmed'));

    const status = await client.call('market:reconcile', {});
    assert.equal(status.jobsPaid, 1);
    assert.equal(status.reconciliation.ok, true, status.reconciliation.message ?? '');
    rpc.destroy();
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});

test('a job whose collateral the free stake does not cover waits unclaimed, and the status says how much is needed and free', { timeout: 180_000 }, async () => {
  const data = await tempDir('hearth-market-collateral-');
  const { provider, client } = await open(data.dir);
  try {
    await registeredInCpu(client);

    const { rpc, market } = await cpuRequester(client, data.dir, 14);
    const model = builtinCatalog.find((m) => m.id === 'paddleocr-cls-v2')!;
    const bytes = toUtf8Bytes(JSON.stringify({ version: 1, model: model.id, inputs: {}, resultUri: 'http://127.0.0.1:9/r' }));
    const deadline = BigInt((await rpc.getBlock('latest'))!.timestamp) + 500n;
    // 20,000 units at the market price (at most 0.01): worth up to 200 HRTH, so a claim would lock
    // up to 300 HRTH at the demo's 150 % — more than the 130 staked.
    await (await market.contract.getFunction('post')(modelHashOf(model.sha256), hashBytes(bytes), `data:application/json;base64,${encodeBase64(bytes)}`, 20_000, 10n ** 16n, deadline)).wait();

    await client.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    const status = await waitFor(async () => {
      const s = await client.call('market:status', {});
      return /^An open job waits for collateral\. Claiming it locks [\d.]+ HRTH of stake as collateral; 130 HRTH of your cpu stake is free\. Stake more/.test(s.reason) ? s : undefined;
    }, 'the status to explain the missing collateral', 60_000);
    const need = Number(/locks ([\d.]+) HRTH/.exec(status.reason)![1]);
    const price = Number(await market.contract.getFunction('currentPrice')()) / 1e18;
    assert.ok(Math.abs(need - 20_000 * price * 1.5) < 1e-6, `collateral ${need} for a price of ${price}`);
    const job = (await client.call('market:jobs', {})).jobs.find((j) => j.jobId === '1');
    assert.equal(job?.state, 'seen', 'waiting, not declined for good');
    const st = (await market.contract.getFunction('jobState')(1n)) as [bigint, bigint, bigint, bigint];
    assert.equal(Number(st[3]), 0, 'never claimed');
    rpc.destroy();
  } finally {
    await provider.stop();
    await data.cleanup();
  }
});
