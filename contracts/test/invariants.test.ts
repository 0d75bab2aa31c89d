// Random sequences of market and staking actions; after every step the books must balance.
// Set FC_SEED to replay a failure, FC_RUNS to fuzz longer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { network } from 'hardhat';
import type { ContractTransactionReceipt, Log } from 'ethers';
import { CLASS_ID, TOKEN, deployWorld, isRevert, now, send, type Terms, type World } from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const PRICE = TOKEN / 100n;
const RESULT = ethers.id('result');

async function world(): Promise<World> {
  const w = await deployWorld(conn);
  await send(w.token, w.admin, 'approve', await w.staking.getAddress(), ethers.MaxUint256);
  return w;
}

type Action =
  | { k: 'post'; who: number; units: number; priceMul: number; ttl: number }
  | { k: 'cancel' | 'commit' | 'settle' | 'dispute'; job: number; who: number }
  | { k: 'claim'; job: number; who: number; minMul: number }
  | { k: 'expire'; job: number; who: number }
  | { k: 'resolve'; job: number; fault: boolean; slash: number }
  | { k: 'timeout'; job: number }
  | { k: 'time'; secs: number }
  | { k: 'stake' | 'unbond'; who: number; amount: number }
  | { k: 'withdraw' | 'claimRewards'; who: number }
  | { k: 'notify'; amount: number; duration: number }
  | {
      k: 'life';
      who: number;
      prov: number;
      units: number;
      priceMul: number;
      end: 'settle' | 'fault' | 'cleared' | 'timeout' | 'expire' | 'stop';
    };

const job = fc.nat({ max: 40 });
const who3 = fc.nat({ max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  // A whole job lifecycle in one action, so complete flows interleave with random steps.
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('life' as const),
      who: fc.nat({ max: 1 }),
      prov: who3,
      units: fc.integer({ min: 1, max: 300 }),
      priceMul: fc.integer({ min: 100, max: 300 }),
      end: fc.constantFrom('settle' as const, 'fault' as const, 'cleared' as const, 'timeout' as const, 'expire' as const, 'stop' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('post' as const),
      who: fc.nat({ max: 1 }),
      units: fc.integer({ min: 1, max: 300 }),
      priceMul: fc.integer({ min: 1, max: 300 }),
      ttl: fc.integer({ min: 20, max: 600 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('claim' as const), job, who: who3, minMul: fc.integer({ min: 0, max: 150 }) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('commit' as const), job, who: who3 }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('settle' as const), job, who: who3 }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), job, who: fc.nat({ max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('dispute' as const), job, who: fc.nat({ max: 1 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('resolve' as const), job, fault: fc.boolean(), slash: fc.integer({ min: 0, max: 150 }) }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('expire' as const), job, who: who3 }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('timeout' as const), job }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('time' as const),
      secs: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 40 }) },
        { weight: 2, arbitrary: fc.integer({ min: 1, max: 700 }) },
        { weight: 1, arbitrary: fc.constant(3_601) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('stake' as const), who: who3, amount: fc.integer({ min: 1, max: 200 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('unbond' as const),
      who: who3,
      amount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('withdraw' as const), who: who3 }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('claimRewards' as const), who: who3 }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('notify' as const),
      amount: fc.integer({ min: 1, max: 1_000 }),
      duration: fc.integer({ min: 10, max: 500 }),
    }),
  },
);

/** Successful actions per kind over all runs, to show the fuzzing is not vacuous. */
const successes = new Map<string, number>();

type Phase = 'open' | 'claimed' | 'committed' | 'disputed' | 'closed';

interface JobModel {
  id: number;
  phase: Phase;
  claimant: number;
  terms: Terms;
  open: boolean; // escrow still held
  bond: bigint;
  collateral: bigint;
  terminalEvents: number;
  paidOut: bigint;
}

async function runSequence(actions: Action[]): Promise<void> {
  const w = await nh.loadFixture(world);
  const jobs: JobModel[] = [];
  const marketAddr = await w.market.getAddress();
  const stakingAddr = await w.staking.getAddress();
  const holders = [w.admin, w.arbiter, w.feeSink, w.slashSink, ...w.requesters, ...w.providers, w.outsider].map((s) => s.address);
  const supply = (await w.token.getFunction('totalSupply')()) as bigint;

  const apply = (receipt: ContractTransactionReceipt) => {
    for (const log of receipt.logs as Log[]) {
      if (log.address.toLowerCase() !== marketAddr.toLowerCase()) continue;
      const ev = w.market.interface.parseLog(log);
      if (!ev) continue;
      const id = Number(ev.args.jobId);
      const j = jobs[id - 1];
      switch (ev.name) {
        case 'JobPosted':
          assert.equal(id, jobs.length + 1);
          jobs.push({
            id,
            phase: 'open',
            claimant: -1,
            terms: {
              requester: ev.args.requester,
              units: ev.args.units,
              maxPricePerUnit: ev.args.maxPricePerUnit,
              deadline: ev.args.deadline,
            },
            open: true,
            bond: 0n,
            collateral: 0n,
            terminalEvents: 0,
            paidOut: 0n,
          });
          break;
        case 'JobClaimed':
          j!.phase = 'claimed';
          j!.claimant = w.providers.findIndex((p) => p.address === ev.args.provider);
          j!.collateral = ev.args.collateral;
          break;
        case 'JobCommitted':
          j!.phase = 'committed';
          break;
        case 'JobDisputed':
          j!.phase = 'disputed';
          j!.bond = ev.args.bond;
          break;
        case 'JobSettled':
        case 'JobCancelled':
        case 'JobExpired': {
          const paid = ev.name === 'JobSettled' ? ev.args.providerAmount + ev.args.fee + ev.args.refund : ev.args.refund;
          j!.terminalEvents++;
          j!.paidOut += paid;
          j!.open = false;
          j!.phase = 'closed';
          j!.bond = 0n;
          break;
        }
        case 'DisputeTimedOut':
          j!.phase = 'closed';
          j!.bond = 0n;
          break;
        case 'DisputeResolved':
          if (ev.args.providerAtFault) {
            j!.terminalEvents++;
            j!.paidOut += j!.terms.units * j!.terms.maxPricePerUnit;
            j!.open = false;
          }
          j!.phase = 'closed';
          j!.bond = 0n;
          break;
      }
    }
  };

  // The price moves only with paid units: per transaction, the stored epoch's units grow by
  // exactly the units settled in it, and the price changes only when an epoch turns, to what
  // the controller's rule gives for the units paid in the epochs that ended.
  const readPrice = async () => (await w.market.getFunction('priceState')()) as { price: bigint; epochStart: bigint; epochUnits: bigint };
  const checkPrice = async (before: Awaited<ReturnType<typeof readPrice>>, paid: bigint, what: string) => {
    const ps = await readPrice();
    if (ps.epochStart === before.epochStart) {
      assert.equal(ps.price, before.price, `price moved inside an epoch after ${what}`);
      assert.equal(ps.epochUnits, before.epochUnits + paid, `epoch units are the paid units after ${what}`);
      return;
    }
    const epochs = (ps.epochStart - before.epochStart) / 60n;
    let expected = modelNextPrice(before.price, before.epochUnits);
    if (epochs - 1n <= 32n) {
      for (let i = 1n; i < epochs; i++) expected = modelNextPrice(expected, 0n);
      assert.equal(ps.price, expected, `price after ${epochs} epochs, ${what}`);
    } else {
      assert.ok(ps.price <= expected, `a long idle only lowers the price (${what})`);
    }
    assert.equal(ps.epochUnits, paid, `a new epoch starts with the units paid in it (${what})`);
  };
  const attempt = async (contract: typeof w.market, signer: typeof w.admin, method: string, ...args: unknown[]) => {
    const before = await readPrice();
    let paid = 0n;
    try {
      const receipt = await send(contract, signer, method, ...args);
      apply(receipt);
      paid = settledUnits(receipt);
      successes.set(method, (successes.get(method) ?? 0) + 1);
    } catch (error) {
      if (!isRevert(error)) throw error;
      if (process.env.FC_DEBUG) console.log(method, String((error as Error).message).slice(0, 160));
    }
    await checkPrice(before, paid, method);
  };
  const settledUnits = (receipt: ContractTransactionReceipt) => {
    let units = 0n;
    for (const log of receipt.logs as Log[]) {
      if (log.address.toLowerCase() !== marketAddr.toLowerCase()) continue;
      const ev = w.market.interface.parseLog(log);
      if (ev?.name === 'JobSettled') units += jobs[Number(ev.args.jobId) - 1]!.terms.units;
    }
    return units;
  };
  // Mostly pick a job in the phase the action needs (else the fuzzer only meets reverts);
  // every fifth pick is any job, to keep invalid transitions in the mix.
  const wanted: Partial<Record<Action['k'], Phase>> = {
    claim: 'open',
    cancel: 'open',
    commit: 'claimed',
    expire: 'claimed',
    settle: 'committed',
    dispute: 'committed',
    resolve: 'disputed',
    timeout: 'disputed',
  };
  const pick = (a: Action & { job: number }) => {
    const phase = wanted[a.k];
    const pool = a.job % 5 === 0 || !phase ? jobs : jobs.filter((m) => m.phase === phase);
    return pool.length ? pool[a.job % pool.length] : undefined;
  };
  // The claimant usually acts on its own job.
  const actor = (m: JobModel | undefined, who: number) => (m && m.claimant >= 0 && who !== 2 ? m.claimant : who);

  for (const a of actions) {
    const j = 'job' in a ? pick(a) : undefined;
    switch (a.k) {
      case 'post': {
        const deadline = (await now(conn)) + BigInt(a.ttl);
        await attempt(
          w.market,
          w.requesters[a.who]!,
          'post',
          ethers.id('m'),
          ethers.id('i'),
          'u',
          a.units,
          (PRICE * BigInt(a.priceMul)) / 100n,
          deadline,
        );
        break;
      }
      case 'claim':
        if (j) await attempt(w.market, w.providers[a.who]!, 'claim', j.id, j.terms, (PRICE * BigInt(a.minMul)) / 100n);
        break;
      case 'commit':
        if (j) await attempt(w.market, w.providers[actor(j, a.who)]!, 'commit', j.id, j.terms, RESULT);
        break;
      case 'settle':
        if (j) await attempt(w.market, w.providers[actor(j, a.who)]!, 'settle', j.id, j.terms, RESULT);
        break;
      case 'cancel':
        if (j) await attempt(w.market, w.requesters[a.who]!, 'cancel', j.id, j.terms);
        break;
      case 'dispute':
        if (j) await attempt(w.market, w.requesters[a.who]!, 'dispute', j.id, j.terms, RESULT);
        break;
      case 'resolve':
        if (j) await attempt(w.market, w.arbiter, 'resolveDispute', j.id, j.terms, RESULT, a.fault, BigInt(a.slash) * TOKEN);
        break;
      case 'expire':
        if (j) await attempt(w.market, w.providers[a.who]!, 'expire', j.id, j.terms);
        break;
      case 'timeout':
        // Let the ruling period of a disputed job run out, then close it with the default outcome.
        if (j?.phase === 'disputed') await nh.time.increase(601);
        if (j) await attempt(w.market, w.outsider, 'resolveExpiredDispute', j.id, j.terms, RESULT);
        break;
      case 'time':
        await nh.time.increase(a.secs);
        break;
      case 'life': {
        const before = jobs.length;
        const deadline = (await now(conn)) + 120n;
        await attempt(
          w.market,
          w.requesters[a.who]!,
          'post',
          ethers.id('m'),
          ethers.id('i'),
          'u',
          a.units,
          (PRICE * BigInt(a.priceMul)) / 100n,
          deadline,
        );
        const m = jobs[before];
        if (!m) break;
        const p = w.providers[a.prov]!;
        await attempt(w.market, p, 'claim', m.id, m.terms, 0n);
        if (a.end === 'expire') {
          await nh.time.increase(121);
          await attempt(w.market, w.outsider, 'expire', m.id, m.terms);
          break;
        }
        await attempt(w.market, p, 'commit', m.id, m.terms, RESULT);
        if (a.end === 'stop') break;
        if (a.end === 'settle') {
          await nh.time.increase(30);
          await attempt(w.market, w.outsider, 'settle', m.id, m.terms, RESULT);
        } else {
          await attempt(w.market, w.requesters[a.who]!, 'dispute', m.id, m.terms, RESULT);
          if (a.end === 'timeout') {
            await nh.time.increase(601);
            await attempt(w.market, w.outsider, 'resolveExpiredDispute', m.id, m.terms, RESULT);
          } else {
            await attempt(w.market, w.arbiter, 'resolveDispute', m.id, m.terms, RESULT, a.end === 'fault', 20n * TOKEN);
          }
        }
        break;
      }
      case 'stake':
        await attempt(w.staking, w.providers[a.who]!, 'stake', CLASS_ID, BigInt(a.amount) * TOKEN);
        break;
      case 'unbond': {
        // 0 = everything active (the common exit); else an arbitrary, often invalid, part.
        const active = ((await w.staking.getFunction('classStakes')(w.providers[a.who]!.address, CLASS_ID)) as { active: bigint }).active;
        await attempt(w.staking, w.providers[a.who]!, 'requestUnbond', CLASS_ID, a.amount === 0 ? active : BigInt(a.amount) * TOKEN);
        break;
      }
      case 'withdraw': {
        // Usually a provider that has something unbonding.
        let who = a.who;
        for (const [index, p] of w.providers.entries()) {
          const { unbonding } = (await w.staking.getFunction('classStakes')(p.address, CLASS_ID)) as { unbonding: bigint };
          if (unbonding > 0n && a.who !== 2) who = index;
        }
        await attempt(w.staking, w.providers[who]!, 'withdraw', CLASS_ID);
        break;
      }
      case 'claimRewards':
        await attempt(w.staking, w.providers[a.who]!, 'claimRewards');
        break;
      case 'notify':
        await attempt(w.staking, w.admin, 'notifyRewardAmount', BigInt(a.amount) * TOKEN, a.duration);
        break;
    }

    // Escrow held equals the open jobs' escrow plus dispute bonds.
    const held = jobs.reduce((sum, m) => sum + (m.open ? m.terms.units * m.terms.maxPricePerUnit : 0n) + m.bond, 0n);
    assert.equal(await w.token.getFunction('balanceOf')(marketAddr), held, `escrow after ${JSON.stringify(a)}`);
    // Staked balances equal the tokens held minus rewards owed (the reward reserve).
    const totalStaked = (await w.staking.getFunction('totalStaked')()) as bigint;
    const unbonding = (await w.staking.getFunction('totalUnbonding')()) as bigint;
    const reserve = (await w.staking.getFunction('rewardReserve')()) as bigint;
    assert.equal(await w.token.getFunction('balanceOf')(stakingAddr), totalStaked + unbonding + reserve, `staking books after ${a.k}`);
    let sumStake = 0n;
    let owed = 0n;
    for (const p of w.providers) {
      const account = await w.staking.getFunction('accounts')(p.address);
      const cs = await w.staking.getFunction('classStakes')(p.address, CLASS_ID);
      assert.equal(account.stake, cs.active);
      // Dust may stay active only while it is locked by open claims (then it unbonds).
      assert.ok(cs.active === 0n || cs.active >= TOKEN || cs.locked > 0n, 'no dust stake');
      // Collateral locked = the sum over the provider's open claims.
      const index = w.providers.indexOf(p);
      const open = jobs
        .filter((m) => m.claimant === index && (m.phase === 'claimed' || m.phase === 'committed' || m.phase === 'disputed'))
        .reduce((sum, m) => sum + m.collateral, 0n);
      assert.equal(cs.locked, open, `locked collateral of provider ${index} after ${a.k}`);
      assert.ok(cs.locked <= cs.active, 'locked stake is part of active stake');
      sumStake += account.stake as bigint;
      owed += (await w.staking.getFunction('earned')(p.address)) as bigint;
    }
    assert.equal(sumStake, totalStaked);
    assert.ok(owed <= reserve, `owed ${owed} > reserve ${reserve}`);
  }

  // No one is paid twice: at most one terminal outcome per job, paying out exactly its escrow.
  for (const [index, m] of jobs.entries()) {
    assert.ok(m.terminalEvents <= 1, `job ${index + 1} closed ${m.terminalEvents} times`);
    if (m.terminalEvents === 1) assert.equal(m.paidOut, m.terms.units * m.terms.maxPricePerUnit);
    const st = await w.market.getFunction('jobState')(index + 1);
    assert.equal(Number(st.status) >= 4, !m.open, `job ${index + 1} status ${st.status}`);
  }
  // Tokens are conserved among the holders and the contracts.
  let total = (await w.token.getFunction('balanceOf')(marketAddr)) + (await w.token.getFunction('balanceOf')(stakingAddr));
  total += (await w.token.getFunction('balanceOf')(await w.faucet.getAddress())) as bigint;
  for (const h of holders) total += (await w.token.getFunction('balanceOf')(h)) as bigint;
  assert.equal(total, supply);
}

/** The controller's rule for the test market (target 100, step 12.5 %, floor 1,000 wei). */
function modelNextPrice(price: bigint, used: bigint): bigint {
  const target = 100n;
  if (used === target) return price;
  let diff = used > target ? used - target : target - used;
  if (diff > target) diff = target;
  let delta = (price * 1_250n * diff) / (10_000n * target);
  if (delta === 0n) delta = 1n;
  if (used > target) return price + delta;
  return price > 1_000n + delta ? price - delta : 1_000n;
}

describe('invariants over random action sequences', () => {
  it('escrow, stake and payouts balance; locked collateral = open claims; the price moves only with paid units', async () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 30, size: 'max' }), runSequence), {
      numRuns: process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 30,
      ...(seed === undefined ? {} : { seed }),
    });
    console.log(`    successful actions: ${JSON.stringify(Object.fromEntries(successes))}`);
    for (const method of [
      'post',
      'claim',
      'commit',
      'settle',
      'expire',
      'dispute',
      'resolveDispute',
      'resolveExpiredDispute',
      'requestUnbond',
      'notifyRewardAmount',
      'claimRewards',
    ]) {
      assert.ok((successes.get(method) ?? 0) > 0, `the fuzzer never managed a successful ${method}`);
    }
  });
});
