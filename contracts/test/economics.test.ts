// Issue 14: each protocol-economics finding, as the attack it describes, now failing or
// not paying. Test market: 60 s epochs, target 100 units, price 0.01, 12.5 % step, 5 % fee,
// 10-token miss penalty, collateral 150 % of the job's value, bond max(5 tokens, 10 %),
// 600 s ruling period; three providers with 100 tokens staked each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import type { Contract } from 'ethers';
import { CLASS_ID, TOKEN, deployWorld, expectRevert, findEvent, now, postJob, send, type World } from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const PRICE = TOKEN / 100n;
const RESULT = ethers.id('result');
const OTHER_CLASS = ethers.id('gpu-other');
type Signer = World['admin'];

async function world(): Promise<World> {
  const w = await deployWorld(conn);
  await send(w.token, w.admin, 'approve', await w.staking.getAddress(), ethers.MaxUint256);
  return w;
}

const bal = async (w: World, who: { address: string } | string) =>
  (await w.token.getFunction('balanceOf')(typeof who === 'string' ? who : who.address)) as bigint;
const call = (c: Contract, who: Signer, method: string, ...args: unknown[]) => (c.connect(who) as Contract).getFunction(method)(...args);
const price = async (w: World) => (await w.market.getFunction('currentPrice')()) as bigint;
const next = async (w: World, p: bigint, used: bigint) => (await w.market.getFunction('nextPrice')(p, used)) as bigint;
const locked = async (w: World, who: Signer, classId = CLASS_ID) =>
  ((await w.staking.getFunction('classStakes')(who.address, classId)) as { locked: bigint }).locked;

/** Moves the chain to the start of the next price epoch (the next block lands there). */
async function nextEpoch(w: World): Promise<bigint> {
  const { epochStart } = (await w.market.getFunction('priceState')()) as { epochStart: bigint };
  const t = await now(conn);
  const start = epochStart + ((t - epochStart) / 60n + 1n) * 60n;
  await nh.time.setNextBlockTimestamp(start);
  return start;
}

async function disputed(w: World, requester: Signer, provider: Signer, units = 10n) {
  const job = await postJob(w, requester, { units });
  await send(w.market, provider, 'claim', job.jobId, job.terms, 0n);
  await send(w.market, provider, 'commit', job.jobId, job.terms, RESULT);
  const rc = await send(w.market, requester, 'dispute', job.jobId, job.terms, RESULT);
  return { ...job, deadline: findEvent(w.market, rc, 'JobDisputed').args.rulingDeadline as bigint };
}

describe('issue 14: pumping the price', () => {
  it('claims that expire count no demand: the price falls as in idle epochs', async () => {
    const w = await nh.loadFixture(world);
    const [, attacker] = w.requesters as [Signer, Signer];
    const p1 = w.providers[0]!;
    await send(w.staking, p1, 'stake', CLASS_ID, 1_000n * TOKEN);
    await nextEpoch(w);
    await nh.mine();
    for (let epoch = 0; epoch < 3; epoch++) {
      const before = await price(w);
      // Twice the target, claimed by the attacker's provider and left to expire.
      const job = await postJob(w, attacker, { units: 200n, maxPrice: 2n * PRICE, ttl: 10n });
      await send(w.market, p1, 'claim', job.jobId, job.terms, 0n);
      await nh.time.increaseTo(job.terms.deadline + 1n);
      const rc = await send(w.market, w.outsider, 'expire', job.jobId, job.terms);
      assert.equal(findEvent(w.market, rc, 'JobExpired').args.penalty, 10n * TOKEN);
      await nextEpoch(w);
      await nh.mine();
      assert.equal(await price(w), await next(w, before, 0n), `epoch ${epoch}: the price fell as if idle`);
    }
  });

  it('paid pretended volume costs the fee on it: a full step costs at least an honest epoch of fees', async () => {
    const w = await nh.loadFixture(world);
    const [honest, attacker] = w.requesters as [Signer, Signer];
    const [p1, p2] = w.providers as [Signer, Signer];
    await send(w.staking, p1, 'stake', CLASS_ID, 1_000n * TOKEN);
    // An honest epoch at target, its fees the yardstick; the attacker adds a whole target of
    // pretended units to the same epoch, from two addresses. All inside one 60 s epoch.
    await nextEpoch(w);
    await nh.mine();
    const p0 = await price(w);
    const start = (await bal(w, attacker)) + (await bal(w, p1));
    const feeBefore = await bal(w, w.feeSink);
    const h = await postJob(w, honest, { units: 100n, maxPrice: p0 });
    const a = await postJob(w, attacker, { units: 100n, maxPrice: p0 });
    for (const [job, p] of [
      [h, p2],
      [a, p1],
    ] as const)
      await send(w.market, p, 'claim', job.jobId, job.terms, 0n);
    for (const [job, p] of [
      [h, p2],
      [a, p1],
    ] as const)
      await send(w.market, p, 'commit', job.jobId, job.terms, RESULT);
    await nh.time.increase(30);
    await send(w.market, p2, 'settle', h.jobId, h.terms, RESULT);
    const honestFees = (await bal(w, w.feeSink)) - feeBefore;
    await send(w.market, p1, 'settle', a.jobId, a.terms, RESULT);
    const lost = start - (await bal(w, attacker)) - (await bal(w, p1));
    await nextEpoch(w);
    await nh.mine();
    assert.equal(await price(w), p0 + p0 / 8n, 'one full step up');
    assert.equal(lost, (100n * p0 * 500n) / 10_000n, 'the fee on the pretended units, nothing back');
    assert.ok(lost >= honestFees, `pump cost ${lost} < honest fees ${honestFees}`);
  });
});

describe('issue 14: collateral per claim', () => {
  it('one minimum stake can hold only as many claims as its free stake covers; each miss slashes its own collateral', async () => {
    const w = await nh.loadFixture(world);
    const [r1] = w.requesters as [Signer];
    const p1 = w.providers[0]!;
    const jobs = [];
    for (let i = 0; i < 11; i++) jobs.push(await postJob(w, r1, { ttl: 120n }));
    for (const job of jobs.slice(0, 10)) await send(w.market, p1, 'claim', job.jobId, job.terms, 0n);
    assert.equal(await locked(w, p1), 100n * TOKEN);
    const last = jobs[10]!;
    await expectRevert(call(w.market, p1, 'claim', last.jobId, last.terms, 0n), w.market, 'InsufficientFreeStake', [0n, 10n * TOKEN]);
    // The others can still take it.
    await send(w.market, w.providers[1]!, 'claim', last.jobId, last.terms, 0n);
    await nh.time.increase(121);
    const sinkBefore = await bal(w, w.slashSink);
    let penalties = 0n;
    for (const job of jobs.slice(0, 10)) {
      penalties += findEvent(w.market, await send(w.market, w.outsider, 'expire', job.jobId, job.terms), 'JobExpired').args
        .penalty as bigint;
    }
    assert.equal(penalties, 100n * TOKEN, 'ten misses cost ten collaterals, not one stake');
    assert.equal((await bal(w, w.slashSink)) - sinkBefore, 90n * TOKEN);
    const cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.deepEqual([cs.active, cs.locked, cs.unbonding], [0n, 0n, 0n]);
  });

  it('collateral grows with the job: 150 % of a large job, released at settle', async () => {
    const w = await nh.loadFixture(world);
    const p1 = w.providers[0]!;
    await send(w.staking, p1, 'stake', CLASS_ID, 1_000n * TOKEN);
    const job = await postJob(w, w.requesters[0]!, { units: 5_000n, maxPrice: PRICE }); // worth 50 tokens
    assert.equal(await w.market.getFunction('collateralFor')(5_000n, PRICE), 75n * TOKEN);
    const rc = await send(w.market, p1, 'claim', job.jobId, job.terms, 0n);
    assert.equal(findEvent(w.market, rc, 'JobClaimed').args.collateral, 75n * TOKEN);
    assert.equal(await w.staking.getFunction('freeStake')(p1.address, CLASS_ID), 1_025n * TOKEN);
    await send(w.market, p1, 'commit', job.jobId, job.terms, RESULT);
    await nh.time.increase(30);
    await send(w.market, p1, 'settle', job.jobId, job.terms, RESULT);
    assert.equal(await locked(w, p1), 0n);
  });

  it('the lender seizes only free stake; a dusty locked remainder unbonds when its claim ends', async () => {
    const w = await nh.loadFixture(world);
    const p1 = w.providers[0]!;
    const lender = await ethers.deployContract('MockLender', [await w.token.getAddress()]);
    await send(w.staking, w.admin, 'setLender', await lender.getAddress());
    const job = await postJob(w, w.requesters[0]!);
    await send(w.market, p1, 'claim', job.jobId, job.terms, 0n);
    await send(lender, w.admin, 'seize', await w.staking.getAddress(), p1.address, CLASS_ID, 100n * TOKEN);
    assert.equal(await bal(w, await lender.getAddress()), 90n * TOKEN);
    let cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.deepEqual([cs.active, cs.locked, cs.sweep], [10n * TOKEN, 10n * TOKEN, true]);
    await send(w.market, p1, 'commit', job.jobId, job.terms, RESULT);
    await nh.time.increase(30);
    await send(w.market, p1, 'settle', job.jobId, job.terms, RESULT);
    cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.deepEqual([cs.active, cs.locked, cs.sweep, cs.unbonding], [0n, 0n, false, 10n * TOKEN]);
    assert.equal((await w.staking.getFunction('accounts')(p1.address)).stake, 0n);
  });
});

describe('issue 14: disputes', () => {
  it('a dispute the arbiter does not rule closes with the default outcome after the ruling period', async () => {
    const w = await nh.loadFixture(world);
    const [r1] = w.requesters as [Signer];
    const p1 = w.providers[0]!;
    const job = await disputed(w, r1, p1);
    assert.equal(job.deadline, (await now(conn)) + 600n);
    await expectRevert(call(w.market, w.outsider, 'resolveExpiredDispute', job.jobId, job.terms, RESULT), w.market, 'RulingPeriodOpen', [
      job.deadline,
    ]);
    await nh.time.increaseTo(job.deadline);
    await expectRevert(
      call(w.market, w.arbiter, 'resolveDispute', job.jobId, job.terms, RESULT, true, TOKEN),
      w.market,
      'RulingPeriodOver',
      [job.deadline],
    );
    const before = { r: await bal(w, r1), p: await bal(w, p1) };
    const rc = await send(w.market, w.outsider, 'resolveExpiredDispute', job.jobId, job.terms, RESULT);
    assert.equal(findEvent(w.market, rc, 'DisputeTimedOut').args.bondRefund, 5n * TOKEN);
    const gross = job.terms.units * PRICE;
    assert.equal((await bal(w, p1)) - before.p, gross - (gross * 500n) / 10_000n);
    assert.equal((await bal(w, r1)) - before.r, 5n * TOKEN + job.terms.units * (job.terms.maxPricePerUnit - PRICE));
    assert.equal(await locked(w, p1), 0n);
    assert.equal(await w.token.getFunction('balanceOf')(await w.market.getAddress()), 0n);
  });

  it('a dispute holds only the job collateral: stake in another class leaves on time', async () => {
    const w = await nh.loadFixture(world);
    const p1 = w.providers[0]!;
    await send(w.staking, w.admin, 'setMinStake', OTHER_CLASS, 100n * TOKEN);
    await send(w.staking, p1, 'declareClass', OTHER_CLASS);
    await send(w.staking, p1, 'stake', OTHER_CLASS, 1_000n * TOKEN);
    await disputed(w, w.requesters[0]!, p1);
    await send(w.staking, p1, 'requestUnbond', OTHER_CLASS, 1_000n * TOKEN);
    await nh.time.increase(3_601);
    const before = await bal(w, p1);
    await send(w.staking, p1, 'withdraw', OTHER_CLASS);
    assert.equal((await bal(w, p1)) - before, 1_000n * TOKEN);
    assert.equal(await w.staking.getFunction('freeStake')(p1.address, CLASS_ID), 90n * TOKEN);
  });

  it('the bond grows with the job and is never zero', async () => {
    const w = await nh.loadFixture(world);
    const bondFor = (units: bigint) => w.market.getFunction('disputeBondFor')(units, PRICE) as Promise<bigint>;
    assert.equal(await bondFor(1n), 5n * TOKEN);
    assert.equal(await bondFor(100_000n), 100n * TOKEN); // 10 % of a 1,000-token job
    await expectRevert(call(w.market, w.admin, 'setDisputeBond', 0n, 1_000), w.market, 'BadParameter');
    const p1 = w.providers[0]!;
    await send(w.staking, p1, 'stake', CLASS_ID, 2_000n * TOKEN);
    const r1 = w.requesters[0]!;
    const before = await bal(w, r1);
    const job = await disputed(w, r1, p1, 100_000n);
    assert.equal(before - (await bal(w, r1)), 100_000n * PRICE * 2n + 100n * TOKEN); // escrow at max price + bond
    assert.equal(await w.market.getFunction('bondOf')(job.jobId), 100n * TOKEN);
  });
});

describe('issue 14: unbonding delay and self-finding', () => {
  it('the unbonding delay cannot drop to or under a market job lifetime; locked stake cannot leave', async () => {
    const w = await nh.loadFixture(world);
    assert.equal(await w.staking.getFunction('longestJobLifetime')(), 600n + 30n + 600n);
    await expectRevert(call(w.staking, w.admin, 'setUnbondingDelay', 1_230), w.staking, 'BadParameter');
    await send(w.staking, w.admin, 'setUnbondingDelay', 1_231);
    // A contract without market timings (or an EOA) cannot become a market.
    await assert.rejects(call(w.staking, w.admin, 'grantRole', await w.staking.getFunction('MARKET_ROLE')(), w.outsider.address));
    const p1 = w.providers[0]!;
    const job = await postJob(w, w.requesters[0]!);
    await send(w.market, p1, 'claim', job.jobId, job.terms, 0n);
    await expectRevert(call(w.staking, p1, 'requestUnbond', CLASS_ID, 100n * TOKEN), w.staking, 'InsufficientStake', [
      90n * TOKEN,
      100n * TOKEN,
    ]);
  });

  it('a claimant expiring its own miss gets no finder fee; a second address gets only the fee', async () => {
    const w = await nh.loadFixture(world);
    const [p1, p2] = w.providers as [Signer, Signer];
    const a = await postJob(w, w.requesters[0]!, { ttl: 20n });
    const b = await postJob(w, w.requesters[0]!, { ttl: 20n });
    await send(w.market, p1, 'claim', a.jobId, a.terms, 0n);
    await send(w.market, p2, 'claim', b.jobId, b.terms, 0n);
    await nh.time.increase(30);
    const before = { p1: await bal(w, p1), sink: await bal(w, w.slashSink) };
    await send(w.market, p1, 'expire', a.jobId, a.terms);
    assert.equal(await bal(w, p1), before.p1, 'nothing back to the claimant');
    assert.equal((await bal(w, w.slashSink)) - before.sink, 10n * TOKEN);
    const friend = await bal(w, w.outsider);
    await send(w.market, w.outsider, 'expire', b.jobId, b.terms);
    assert.equal((await bal(w, w.outsider)) - friend, TOKEN, 'a friend recovers 10 %, the claimant loses 90 %');
  });
});

describe('issue 14: admin changes and bounds', () => {
  it('a claimed job keeps the fee and collateral it was claimed with', async () => {
    const w = await nh.loadFixture(world);
    const p1 = w.providers[0]!;
    const settled = await postJob(w, w.requesters[0]!);
    const missed = await postJob(w, w.requesters[0]!, { ttl: 20n });
    await send(w.market, p1, 'claim', settled.jobId, settled.terms, 0n);
    await send(w.market, w.providers[1]!, 'claim', missed.jobId, missed.terms, 0n);
    await send(w.market, w.admin, 'setFee', w.feeSink.address, 2_000);
    await send(w.market, w.admin, 'setMissPenalty', 50n * TOKEN);
    await send(w.market, w.admin, 'setCollateralBps', 50_000);
    await send(w.market, p1, 'commit', settled.jobId, settled.terms, RESULT);
    await nh.time.increase(30);
    const rc = await send(w.market, p1, 'settle', settled.jobId, settled.terms, RESULT);
    const gross = settled.terms.units * PRICE;
    assert.equal(findEvent(w.market, rc, 'JobSettled').args.fee, (gross * 500n) / 10_000n);
    assert.equal(await locked(w, p1), 0n);
    const ex = await send(w.market, w.outsider, 'expire', missed.jobId, missed.terms);
    assert.equal(findEvent(w.market, ex, 'JobExpired').args.penalty, 10n * TOKEN);
  });
});

describe('issue 14: the arbiter and rewards', () => {
  it('an arbiter cannot rule a job it requested or served', async () => {
    const w = await nh.loadFixture(world);
    const arbiter = w.arbiter;
    await send(w.token, w.admin, 'transfer', arbiter.address, 100n * TOKEN);
    await send(w.token, arbiter, 'approve', await w.market.getAddress(), ethers.MaxUint256);
    const own = await disputed(w, arbiter, w.providers[0]!);
    await expectRevert(call(w.market, arbiter, 'resolveDispute', own.jobId, own.terms, RESULT, true, TOKEN), w.market, 'ArbiterConflict');
    // A provider holding the arbiter role cannot rule its own work either.
    const p2 = w.providers[1]!;
    await send(w.market, w.admin, 'grantRole', await w.market.getFunction('ARBITER_ROLE')(), p2.address);
    const served = await disputed(w, w.requesters[0]!, p2);
    await expectRevert(call(w.market, p2, 'resolveDispute', served.jobId, served.terms, RESULT, false, 0n), w.market, 'ArbiterConflict');
    // The staking arbiter slashing directly cannot name itself the finder.
    await send(w.staking, w.admin, 'grantRole', await w.staking.getFunction('ARBITER_ROLE')(), arbiter.address);
    const before = await bal(w, arbiter);
    await send(w.staking, arbiter, 'slash', w.providers[2]!.address, CLASS_ID, 10n * TOKEN, arbiter.address);
    assert.equal(await bal(w, arbiter), before);
  });

  it('a jailed provider earns nothing while jailed; its share is re-streamed', async () => {
    const w = await nh.loadFixture(world);
    const [p1, p2] = w.providers as [Signer, Signer];
    await send(w.staking, w.admin, 'notifyRewardAmount', 3_000n * TOKEN, 300);
    await nh.time.increase(99);
    await send(w.staking, w.arbiter, 'setJailed', p1.address, true); // at ~100 s: ~333 earned
    const atJail = (await w.staking.getFunction('earned')(p1.address)) as bigint;
    await nh.time.increase(100);
    assert.equal(await w.staking.getFunction('earned')(p1.address), atJail, 'nothing accrues while jailed');
    await send(w.staking, w.arbiter, 'setJailed', p1.address, false); // at ~200 s
    const unallocated = (await w.staking.getFunction('unallocatedRewards')()) as bigint;
    assert.ok(unallocated >= 333n * TOKEN && unallocated <= 340n * TOKEN, `routed ${unallocated}`);
    await nh.time.increase(200);
    const e1 = (await w.staking.getFunction('earned')(p1.address)) as bigint;
    const e2 = (await w.staking.getFunction('earned')(p2.address)) as bigint;
    assert.ok(e2 - e1 >= 330n * TOKEN && e2 - e1 <= 340n * TOKEN, `p1 missed ${e2 - e1}`);
  });
});

describe('issue 14: automatic repayment from settlement', () => {
  async function lent(mode: number) {
    const w = await nh.loadFixture(world);
    const lender = await ethers.deployContract('MockLender', [await w.token.getAddress()]);
    await send(w.staking, w.admin, 'setLender', await lender.getAddress());
    await send(lender, w.admin, 'setDebt', w.providers[0]!.address, TOKEN);
    await send(lender, w.admin, 'setRepay', 5_000, mode);
    const job = await postJob(w, w.requesters[0]!);
    await send(w.market, w.providers[0]!, 'claim', job.jobId, job.terms, 0n);
    await send(w.market, w.providers[0]!, 'commit', job.jobId, job.terms, RESULT);
    await nh.time.increase(30);
    const before = await bal(w, w.providers[0]!);
    const rc = await send(w.market, w.outsider, 'settle', job.jobId, job.terms, RESULT);
    const net = job.terms.units * PRICE - (job.terms.units * PRICE * 500n) / 10_000n;
    const lenderAddr = await lender.getAddress();
    return { w, rc, net, got: (await bal(w, w.providers[0]!)) - before, pulled: await bal(w, lenderAddr), lenderAddr };
  }

  it('pays the share the provider chose to its lender and the rest to the provider', async () => {
    const { w, rc, net, got, pulled } = await lent(0);
    assert.equal(pulled, net / 2n);
    assert.equal(got, net - net / 2n);
    assert.equal(findEvent(w.market, rc, 'AutoRepaid').args.amount, net / 2n);
    assert.equal(findEvent(w.market, rc, 'JobSettled').args.providerAmount, net);
    assert.equal(await w.token.getFunction('balanceOf')(await w.market.getAddress()), 0n);
  });

  it('a failing lender blocks nothing; one that pulls less leaves the rest to the provider', async () => {
    for (const mode of [1, 2]) {
      const { w, net, got, pulled, lenderAddr } = await lent(mode);
      assert.equal(pulled, mode === 1 ? 0n : net / 4n);
      assert.equal(got + pulled, net);
      assert.equal(await w.token.getFunction('allowance')(await w.market.getAddress(), lenderAddr), 0n);
      assert.equal(await w.token.getFunction('balanceOf')(await w.market.getAddress()), 0n);
    }
  });
});
