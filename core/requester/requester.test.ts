import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEther } from 'ethers';
import { demoParams, type ProtocolParams } from '../../common/contracts/params.ts';
import { builtinCatalog } from '../models/catalog.ts';
import { startProtocolDevnet, type Devnet } from '../chain/devnet.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { connectRequesterChain, type RequesterChain } from './chain.ts';
import { createArbiter, type Arbiter } from './arbiter.ts';
import { followJob, type RequesterEvent } from './follow-job.ts';
import { startJobServer, type JobServer } from './job-server.ts';
import { createModelRunner, type ModelRunner } from './model-runner.ts';
import { postJob, type PostMisbehaviour } from './post-job.ts';
import { chainTime } from './chain-time.ts';
import { perturb, scriptedProvider } from './testing/scripted-provider.ts';

const CLASS = 'cpu';
const MODEL = 'paddleocr-cls-v2';
const sha = builtinCatalog.find((e) => e.id === MODEL)!.sha256;
const MAX_PRICE = parseEther('0.02');

// Init code that returns block.timestamp: TIMESTAMP PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
const TIMESTAMP_CODE = '0x4260005260206000f3';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Demo protocol with a 5 s challenge window and 60 s jobs, so a whole job takes seconds. */
export function fastParams(): ProtocolParams {
  const params = demoParams();
  params.markets = params.markets.map((m) => ({ ...m, challengeWindow: 5, maxJobDuration: 60 }));
  return params;
}

let devnet: Devnet & { deployment: Deployment };
let runner: ModelRunner;
let server: JobServer;
let requester: RequesterChain;
let arbiter: Arbiter;
let honest: Awaited<ReturnType<typeof scriptedProvider>>;
let cheat: Awaited<ReturnType<typeof scriptedProvider>>;

before(async () => {
  devnet = await startProtocolDevnet({ params: fastParams(), blockTimeSeconds: 0 });
  const key = (i: number) => devnet.accounts[i]!.privateKey;
  runner = createModelRunner({ cacheDir: mkdtempSync(join(tmpdir(), 'hearth-requester-')), threads: 1 });
  server = await startJobServer();
  requester = await connectRequesterChain(devnet.rpcUrl, devnet.deployment, key(4));
  await requester.send(() => requester.faucet!.getFunction('drip')(requester.address));
  arbiter = await createArbiter({ rpcUrl: devnet.rpcUrl, deployment: devnet.deployment, arbiterKey: key(0), runner });
  const stake = parseEther('200');
  honest = await scriptedProvider({ rpcUrl: devnet.rpcUrl, deployment: devnet.deployment, key: key(5), classLabel: CLASS, runner, stake });
  cheat = await scriptedProvider({ rpcUrl: devnet.rpcUrl, deployment: devnet.deployment, key: key(6), classLabel: CLASS, runner, stake });
});

after(async () => {
  honest?.close();
  cheat?.close();
  arbiter?.close();
  requester?.close();
  await server?.close();
  await runner?.stop();
  await devnet?.stop();
});

const balance = async (address: string): Promise<bigint> => BigInt(await requester.token.getFunction('balanceOf')(address));

async function post(seed: number, misbehave: PostMisbehaviour = {}, deadlineSeconds = 30) {
  return postJob({ chain: requester, server, classLabel: CLASS, model: { id: MODEL, sha256: sha }, inputs: { seed }, maxPricePerUnit: MAX_PRICE, deadlineSeconds, misbehave });
}

test('a correct result is verified and settled, and the refund is exact to the wei', async () => {
  const before = await balance(requester.address);
  const job = await post(1);
  assert.equal(job.terms.units, 8n);
  assert.equal(await balance(requester.address), before - job.escrow, 'the escrow left with the post (permit, one transaction)');
  const events: RequesterEvent[] = [];
  const following = followJob({ chain: requester, job, runner, arbiter, onEvent: (e) => events.push(e) });
  const run = await honest.work(job.jobId, 'honest');
  assert.equal(run.deliveryStatus, 200);
  const outcome = await following;
  assert.equal(outcome.status, 'settled', JSON.stringify(outcome, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  assert.equal(outcome.verified, true);
  assert.equal(outcome.provider, honest.address);
  assert.equal(outcome.settledBy, 'requester');
  assert.equal(outcome.paid, job.terms.units * outcome.pricePerUnit!);
  assert.equal(outcome.refund, job.escrow - outcome.paid);
  assert.equal(await balance(requester.address), before - outcome.paid, 'exactly units x price left the requester');
  assert.deepEqual(
    events.map((e) => e.type).filter((t) => t !== 'warning'),
    ['claimed', 'delivered', 'committed', 'verified', 'settling'],
  );
});

test('with noSettle the provider settles and the requester reports it as settled', async () => {
  const job = await post(2);
  const following = followJob({ chain: requester, job, runner, arbiter, noSettle: true });
  const run = await honest.work(job.jobId, 'honest');
  await new Promise((r) => setTimeout(r, 5_500));
  await honest.settle(job.jobId, run);
  const outcome = await following;
  assert.equal(outcome.status, 'settled');
  assert.equal(outcome.settledBy, 'other');
  assert.equal(outcome.verified, true);
});

test('a wrong result is disputed and the provider slashed; the requester gets escrow + bond back', async () => {
  const finderFeeBps = BigInt(await requester.staking.getFunction('finderFeeBps')());
  const market = requester.market(CLASS).contract;
  const missPenalty = BigInt(await market.getFunction('missPenalty')());
  const stakeBefore = await cheat.activeStake();
  const before = await balance(requester.address);
  const job = await post(3);
  const following = followJob({ chain: requester, job, runner, arbiter });
  await cheat.work(job.jobId, 'wrong-outputs');
  const outcome = await following;
  assert.equal(outcome.status, 'disputed');
  assert.equal(outcome.verified, false);
  assert.match(outcome.reason ?? '', /disagree/);
  assert.equal(outcome.ruling?.providerAtFault, true);
  assert.equal(outcome.ruling?.slashed, missPenalty);
  assert.equal(await cheat.activeStake(), stakeBefore - missPenalty);
  // Escrow and bond came back; as the finder the requester also gets the finder's fee.
  assert.equal(await balance(requester.address), before + (missPenalty * finderFeeBps) / 10_000n);
});

test('a committed hash that differs from the delivery, and a missing delivery, are disputed', async () => {
  const a = await post(4);
  const b = await post(5);
  const [hashOutcome, silentOutcome] = await Promise.all([
    (async () => {
      const f = followJob({ chain: requester, job: a, runner, arbiter });
      await cheat.work(a.jobId, 'hash-mismatch');
      return f;
    })(),
    (async () => {
      const f = followJob({ chain: requester, job: b, runner, arbiter });
      await cheat.work(b.jobId, 'no-delivery');
      return f;
    })(),
  ]);
  assert.equal(hashOutcome.status, 'disputed');
  assert.match(hashOutcome.reason ?? '', /committed hash/);
  assert.equal(hashOutcome.ruling?.providerAtFault, true);
  assert.equal(silentOutcome.status, 'disputed');
  assert.match(silentOutcome.reason ?? '', /no result was delivered/);
  assert.equal(silentOutcome.ruling?.providerAtFault, true);
});

test('wrongInputHash and unreachableInput make a job un-runnable; it expires and the escrow comes back', async () => {
  const before = await balance(requester.address);
  const wrong = await post(6, { wrongInputHash: true }, 4);
  const gone = await post(7, { unreachableInput: true }, 4);
  const wrongRun = await honest.work(wrong.jobId);
  assert.ok(wrongRun.fetchedHash, 'the bytes were served');
  assert.notEqual(wrongRun.fetchedHash, wrongRun.inputHash, 'but they do not hash to the posted inputHash');
  const goneRun = await honest.work(gone.jobId);
  assert.equal(goneRun.fetchedHash, null);
  assert.match(goneRun.fetchError ?? '', /ECONNREFUSED|fetch failed/);
  const [x, y] = await Promise.all([followJob({ chain: requester, job: wrong, runner }), followJob({ chain: requester, job: gone, runner })]);
  assert.equal(x.status, 'expired');
  assert.equal(y.status, 'expired');
  assert.equal(x.refund + y.refund, wrong.escrow + gone.escrow);
  assert.equal(await balance(requester.address), before);
});

test('Anvil without idle blocks: eth_call sees the stale latest block; chain time mines on the local devnet and waits elsewhere', async () => {
  const provider = requester.provider;
  const local = chainTime({ provider, chainId: devnet.chainId, rpcUrl: devnet.rpcUrl });
  const remote = chainTime({ provider, chainId: devnet.chainId, rpcUrl: 'https://rpc.example.org' });
  assert.equal(requester.local, true);
  const gate = Math.max(await local.latest(), Math.floor(Date.now() / 1000)) + 1;
  assert.equal(await local.passed(gate), false, 'the wall clock is not there yet');
  while (Date.now() / 1000 < gate) await sleep(100);
  const latest = await local.latest();
  assert.ok(latest < gate, 'no transaction, no block: the latest block is behind the gate');
  // What a view call or a gated check sees is the latest block's time; estimateGas (and the
  // block a transaction lands in) uses a pending block at the wall clock.
  assert.equal(Number(BigInt(await provider.call({ data: TIMESTAMP_CODE }))), latest);
  assert.ok(Number(BigInt((await provider.send('eth_call', [{ data: TIMESTAMP_CODE }, 'pending'])) as string)) >= gate);
  assert.equal(await remote.passed(gate), false, 'another chain: wait for its next block');
  const height = await provider.getBlockNumber();
  assert.equal(await local.passed(gate), true, 'the local devnet: mine one');
  assert.equal(await provider.getBlockNumber(), height + 1);
  assert.equal(await remote.passed(gate), true, 'a block past the gate exists now');
});

test('blockTimeSeconds 0 and nothing else happening: an unclaimed job is expired and a committed one settled after the window', async () => {
  const before = await balance(requester.address);
  const unclaimed = await post(8, {}, 3);
  const expired = await followJob({ chain: requester, job: unclaimed, runner, pollMs: 100 });
  assert.equal(expired.status, 'expired');
  assert.equal(expired.refund, unclaimed.escrow);
  assert.equal(await balance(requester.address), before);

  const job = await post(9);
  const following = followJob({ chain: requester, job, runner, arbiter, pollMs: 100 });
  await honest.work(job.jobId, 'honest');
  const outcome = await following;
  assert.equal(outcome.status, 'settled');
  assert.equal(outcome.settledBy, 'requester');
  // Both gated transactions followed an empty block: the one mined to move chain time past the gate.
  for (const [market, name] of [[unclaimed.market, 'JobExpired'], [job.market, 'JobSettled']] as const) {
    const contract = requester.market(CLASS).contract;
    assert.equal(contract.target, market);
    const [log] = await contract.queryFilter(contract.filters[name]!(name === 'JobExpired' ? unclaimed.jobId : job.jobId), unclaimed.postedBlock);
    const previous = await requester.provider.getBlock(log!.blockNumber - 1);
    assert.equal(previous?.transactions.length, 0, `the block before ${name} was mined empty`);
  }
});

test('a dispute the arbiter rules against: provider not at fault, paid, and given the bond', async () => {
  const bond = BigInt(await requester.market(CLASS).contract.getFunction('disputeBond')());
  const stakeBefore = await honest.activeStake();
  const providerBefore = await balance(honest.address);
  const before = await balance(requester.address);
  const job = await post(10);
  // The requester's own run disagrees (a broken checker): it disputes a correct result.
  const wrongChecker = { ...runner, run: async (...args: Parameters<ModelRunner['run']>) => perturb(await runner.run(...args)) };
  const following = followJob({ chain: requester, job, runner: wrongChecker, arbiter, pollMs: 100 });
  await honest.work(job.jobId, 'honest');
  const outcome = await following;
  assert.equal(outcome.status, 'disputed');
  assert.equal(outcome.ruling?.providerAtFault, false);
  assert.equal(outcome.ruling?.slashed, 0n);
  assert.match(outcome.ruling?.reason ?? '', /checks out/);
  assert.equal(outcome.settledBy, 'other', 'the arbiter\'s ruling settled the job');
  assert.equal(outcome.paid, job.terms.units * outcome.pricePerUnit!);
  assert.equal(await honest.activeStake(), stakeBefore, 'nothing slashed');
  assert.equal(await balance(requester.address), before - outcome.paid - bond, 'the requester paid for the job and lost its bond');
  assert.ok((await balance(honest.address)) - providerBefore >= bond, 'the bond went to the provider');
});
