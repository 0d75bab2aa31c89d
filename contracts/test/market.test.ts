import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import type { Contract } from 'ethers';
import {
  CLASS_ID,
  TOKEN,
  deployWorld,
  expectRevert,
  findEvent,
  now,
  postJob,
  send,
  testMarket,
  type Terms,
  type World,
} from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const S = { Open: 0n, Claimed: 1n, Committed: 2n, Disputed: 3n, Settled: 4n, Cancelled: 5n, Expired: 6n, Faulted: 7n };
const RESULT = ethers.id('result');
const PRICE = TOKEN / 100n; // initial price in the test market

async function world(): Promise<World> {
  return deployWorld(conn);
}

const bal = async (w: World, who: string | { address: string }) =>
  (await w.token.getFunction('balanceOf')(typeof who === 'string' ? who : who.address)) as bigint;
const marketBalance = async (w: World) => bal(w, await w.market.getAddress());
const status = async (w: World, jobId: bigint) => (await w.market.getFunction('jobState')(jobId)).status as bigint;
const call = (w: World, who: World['admin'], method: string, ...args: unknown[]) =>
  (w.market.connect(who) as Contract).getFunction(method)(...args);

async function claimed(w: World, opts: Parameters<typeof postJob>[2] = {}) {
  const job = await postJob(w, w.requesters[0]!, opts);
  await send(w.market, w.providers[0]!, 'claim', job.jobId, job.terms, 0n);
  return job;
}
async function committed(w: World, opts: Parameters<typeof postJob>[2] = {}) {
  const job = await claimed(w, opts);
  await send(w.market, w.providers[0]!, 'commit', job.jobId, job.terms, RESULT);
  return job;
}

describe('JobMarket: post and cancel', () => {
  it('escrows units x max price and announces the job', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const before = await bal(w, r1);
    const { jobId, terms, receipt } = await postJob(w, r1, { units: 7n, maxPrice: 3n * PRICE, uri: 'https://x/in.bin' });
    assert.equal(jobId, 1n);
    assert.equal(before - (await bal(w, r1)), 21n * PRICE);
    assert.equal(await marketBalance(w), 21n * PRICE);
    const ev = findEvent(w.market, receipt, 'JobPosted');
    assert.equal(ev.args.inputUri, 'https://x/in.bin');
    assert.equal(ev.args.modelHash, ethers.id('model'));
    assert.equal(await w.market.getFunction('jobHash')(jobId), await w.market.getFunction('termsHash')(terms));
    assert.equal(await status(w, jobId), S.Open);
    assert.equal((await postJob(w, r1)).jobId, 2n);
  });

  it('rejects bad jobs', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const t = await now(conn);
    const m = ethers.id('m');
    await expectRevert(call(w, r1, 'post', m, m, 'u', 0, PRICE, t + 100n), w.market, 'BadParameter');
    await expectRevert(call(w, r1, 'post', m, m, 'u', 1, 999, t + 100n), w.market, 'MaxPriceBelowFloor', [999n, 1_000n]);
    await expectRevert(call(w, r1, 'post', m, m, 'u', 1, PRICE, t), w.market, 'BadParameter');
    await expectRevert(call(w, r1, 'post', m, m, 'u', 1, PRICE, t + 602n), w.market, 'BadParameter');
    await send(w.token, r1, 'approve', await w.market.getAddress(), 0n);
    await expectRevert(call(w, r1, 'post', m, m, 'u', 1, PRICE, t + 100n), w.token, 'ERC20InsufficientAllowance');
  });

  it('posts with a permit', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const marketAddr = await w.market.getAddress();
    await send(w.token, r1, 'approve', marketAddr, 0n);
    const deadline = (await now(conn)) + 300n;
    const nonce = (await w.token.getFunction('nonces')(r1.address)) as bigint;
    const { chainId } = await ethers.provider.getNetwork();
    const sig = ethers.Signature.from(
      await r1.signTypedData(
        { name: 'Hearth', version: '1', chainId, verifyingContract: await w.token.getAddress() },
        {
          Permit: ['owner:address', 'spender:address', 'value:uint256', 'nonce:uint256', 'deadline:uint256'].map((s) => ({
            name: s.split(':')[0]!,
            type: s.split(':')[1]!,
          })),
        },
        { owner: r1.address, spender: marketAddr, value: 4n * PRICE, nonce, deadline },
      ),
    );
    const m = ethers.id('m');
    await send(w.market, r1, 'postWithPermit', m, m, 'u', 4, PRICE, deadline, deadline, sig.v, sig.r, sig.s);
    assert.equal(await marketBalance(w), 4n * PRICE);
  });

  it('lets the requester cancel an open job for a full refund, once', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const before = await bal(w, r1);
    const { jobId, terms } = await postJob(w, r1);
    await expectRevert(call(w, w.requesters[1]!, 'cancel', jobId, terms), w.market, 'NotRequester');
    await expectRevert(call(w, r1, 'cancel', jobId, { ...terms, units: terms.units + 1n }), w.market, 'UnknownJobOrTerms', [jobId]);
    await send(w.market, r1, 'cancel', jobId, terms);
    assert.equal(await bal(w, r1), before);
    assert.equal(await status(w, jobId), S.Cancelled);
    await expectRevert(call(w, r1, 'cancel', jobId, terms), w.market, 'UnknownJobOrTerms', [jobId]);
    const job2 = await claimed(w);
    await expectRevert(call(w, r1, 'cancel', job2.jobId, job2.terms), w.market, 'WrongStatus', [job2.jobId, S.Claimed]);
  });
});

describe('JobMarket: claim', () => {
  it('fixes the current price, fee and collateral for the claimant, counting no demand yet', async () => {
    const w = await nh.loadFixture(world);
    const { jobId, terms } = await postJob(w, w.requesters[0]!);
    const p2 = w.providers[1]!;
    const needed = (await w.market.getFunction('collateralFor')(terms.units, PRICE)) as bigint;
    assert.equal(needed, 10n * TOKEN); // the miss-penalty floor: 150% of 0.1 token is less
    const rc = await send(w.market, p2, 'claim', jobId, terms, PRICE);
    const ev = findEvent(w.market, rc, 'JobClaimed');
    assert.equal(ev.args.provider, p2.address);
    assert.equal(ev.args.pricePerUnit, PRICE);
    assert.equal(ev.args.collateral, needed);
    const st = await w.market.getFunction('jobState')(jobId);
    assert.equal(st.providerId, 2n);
    assert.equal(st.pricePerUnit, PRICE);
    assert.equal(st.status, S.Claimed);
    assert.equal(st.feeBps, 500n);
    assert.equal(st.collateral * (await w.market.getFunction('COLLATERAL_UNIT')()), needed);
    assert.equal((await w.staking.getFunction('classStakes')(p2.address, CLASS_ID)).locked, needed);
    assert.equal(await w.staking.getFunction('freeStake')(p2.address, CLASS_ID), 100n * TOKEN - needed);
    assert.equal((await w.market.getFunction('priceState')()).epochUnits, 0n);
  });

  it('front-running: the second claim of a job fails and pays nothing', async () => {
    const w = await nh.loadFixture(world);
    const { jobId, terms } = await postJob(w, w.requesters[0]!);
    await send(w.market, w.providers[1]!, 'claim', jobId, terms, 0n);
    await expectRevert(call(w, w.providers[0]!, 'claim', jobId, terms, 0n), w.market, 'WrongStatus', [jobId, S.Claimed]);
  });

  it('requires stake, eligibility and sane prices', async () => {
    const w = await nh.loadFixture(world);
    const { jobId, terms } = await postJob(w, w.requesters[0]!);
    await expectRevert(call(w, w.outsider, 'claim', jobId, terms, 0n), w.market, 'NotEligible');
    await send(w.staking, w.outsider, 'register', [CLASS_ID], '');
    await expectRevert(call(w, w.outsider, 'claim', jobId, terms, 0n), w.market, 'NotEligible');
    await send(w.staking, w.arbiter, 'setJailed', w.providers[0]!.address, true);
    await expectRevert(call(w, w.providers[0]!, 'claim', jobId, terms, 0n), w.market, 'NotEligible');
    await send(w.staking, w.providers[1]!, 'requestUnbond', CLASS_ID, 100n * TOKEN);
    await expectRevert(call(w, w.providers[1]!, 'claim', jobId, terms, 0n), w.market, 'NotEligible');
    await expectRevert(call(w, w.providers[2]!, 'claim', jobId, terms, PRICE + 1n), w.market, 'PriceBelowMin', [PRICE, PRICE + 1n]);
    const cheap = await postJob(w, w.requesters[0]!, { maxPrice: PRICE - 1n });
    await expectRevert(call(w, w.providers[2]!, 'claim', cheap.jobId, cheap.terms, 0n), w.market, 'PriceAboveMax', [PRICE, PRICE - 1n]);
    await expectRevert(call(w, w.providers[2]!, 'claim', 99n, terms, 0n), w.market, 'UnknownJobOrTerms', [99n]);
  });

  it('refuses self-dealing and late claims', async () => {
    const w = await nh.loadFixture(world);
    const p1 = w.providers[0]!;
    const own = await postJob(w, p1);
    await expectRevert(call(w, p1, 'claim', own.jobId, own.terms, 0n), w.market, 'SelfDealing');
    const { jobId, terms } = await postJob(w, w.requesters[0]!, { ttl: 10n });
    await nh.time.increaseTo(terms.deadline);
    await expectRevert(call(w, p1, 'claim', jobId, terms, 0n), w.market, 'DeadlinePassed');
  });
});

describe('JobMarket: commit and settle', () => {
  it('pays provider, fee and refund to the wei after the window, exactly once', async () => {
    const w = await nh.loadFixture(world);
    const [r1] = w.requesters as [World['admin']];
    const [p1] = w.providers as [World['admin']];
    const maxPrice = 3n * PRICE + 7n;
    const units = 13n;
    const { jobId, terms } = await claimed(w, { units, maxPrice });
    await expectRevert(call(w, w.providers[1]!, 'commit', jobId, terms, RESULT), w.market, 'NotClaimant');
    await expectRevert(call(w, p1, 'commit', jobId, terms, ethers.ZeroHash), w.market, 'ZeroResultHash');
    const rc = await send(w.market, p1, 'commit', jobId, terms, RESULT);
    const windowEnd = findEvent(w.market, rc, 'JobCommitted').args.windowEnd as bigint;
    assert.equal(windowEnd, (await now(conn)) + 30n);
    assert.equal(await status(w, jobId), S.Committed);
    await expectRevert(call(w, p1, 'commit', jobId, terms, RESULT), w.market, 'UnknownJobOrTerms', [jobId]);
    await expectRevert(call(w, p1, 'settle', jobId, terms, RESULT), w.market, 'ChallengeWindowOpen', [windowEnd]);
    await expectRevert(call(w, p1, 'settle', jobId, terms, ethers.id('other')), w.market, 'UnknownJobOrTerms', [jobId]);
    await nh.time.setNextBlockTimestamp(windowEnd);
    const before = { r: await bal(w, r1), p: await bal(w, p1), f: await bal(w, w.feeSink) };
    const settleRc = await send(w.market, w.outsider, 'settle', jobId, terms, RESULT); // anyone may settle
    const gross = units * PRICE;
    const fee = (gross * 500n) / 10_000n;
    const refund = units * maxPrice - gross;
    assert.equal((await bal(w, p1)) - before.p, gross - fee);
    assert.equal((await bal(w, w.feeSink)) - before.f, fee);
    assert.equal((await bal(w, r1)) - before.r, refund);
    assert.equal(gross - fee + fee + refund, units * maxPrice);
    assert.equal(await marketBalance(w), 0n);
    const ev = findEvent(w.market, settleRc, 'JobSettled');
    assert.deepEqual([ev.args.providerAmount, ev.args.fee, ev.args.refund], [gross - fee, fee, refund]);
    assert.equal(await status(w, jobId), S.Settled);
    await expectRevert(call(w, p1, 'settle', jobId, terms, RESULT), w.market, 'UnknownJobOrTerms', [jobId]);
  });

  it('accepts a commit at the deadline and rejects one after it', async () => {
    const w = await nh.loadFixture(world);
    const a = await claimed(w, { ttl: 50n });
    const b = await claimed(w, { ttl: 50n });
    await nh.time.setNextBlockTimestamp(a.terms.deadline);
    await send(w.market, w.providers[0]!, 'commit', a.jobId, a.terms, RESULT);
    await nh.time.setNextBlockTimestamp(b.terms.deadline + 1n);
    await nh.mine();
    await expectRevert(call(w, w.providers[0]!, 'commit', b.jobId, b.terms, RESULT), w.market, 'DeadlinePassed');
    const open = await postJob(w, w.requesters[0]!);
    await expectRevert(call(w, w.providers[0]!, 'commit', open.jobId, open.terms, RESULT), w.market, 'WrongStatus', [open.jobId, S.Open]);
  });
});

describe('JobMarket: expiry', () => {
  it('refunds an unclaimed job after its deadline without penalty', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const before = await bal(w, r1);
    const { jobId, terms } = await postJob(w, r1, { ttl: 20n });
    await expectRevert(call(w, w.outsider, 'expire', jobId, terms), w.market, 'DeadlineNotPassed');
    await nh.time.setNextBlockTimestamp(terms.deadline);
    const rc = await send(w.market, w.outsider, 'expire', jobId, terms);
    assert.equal(findEvent(w.market, rc, 'JobExpired').args.penalty, 0n);
    assert.equal(await bal(w, r1), before);
    assert.equal(await status(w, jobId), S.Expired);
  });

  it('refunds a missed deadline and slashes the claimant, finder fee to the caller', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const p1 = w.providers[0]!;
    const before = await bal(w, r1);
    const { jobId, terms } = await claimed(w, { ttl: 20n });
    await nh.time.setNextBlockTimestamp(terms.deadline);
    await expectRevert(call(w, w.outsider, 'expire', jobId, terms), w.market, 'DeadlineNotPassed');
    await nh.time.setNextBlockTimestamp(terms.deadline + 1n);
    const finderBefore = await bal(w, w.outsider);
    const rc = await send(w.market, w.outsider, 'expire', jobId, terms);
    const ev = findEvent(w.market, rc, 'JobExpired');
    assert.equal(ev.args.claimant, p1.address);
    assert.equal(ev.args.penalty, 10n * TOKEN);
    assert.equal(await bal(w, r1), before);
    assert.equal((await bal(w, w.outsider)) - finderBefore, TOKEN); // 10% finder's fee
    // 90 left is under the 100 minimum: moved to unbonding, no longer eligible.
    const cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.equal(cs.active, 0n);
    assert.equal(cs.unbonding, 90n * TOKEN);
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 0n);
  });

  it('cannot expire committed work', async () => {
    const w = await nh.loadFixture(world);
    const { jobId, terms } = await committed(w, { ttl: 20n });
    await nh.time.increase(100);
    await expectRevert(call(w, w.outsider, 'expire', jobId, terms), w.market, 'UnknownJobOrTerms', [jobId]);
  });
});

describe('JobMarket: disputes', () => {
  it('requester disputes in the window; arbiter finds fault: refund + bond back, provider slashed', async () => {
    const w = await nh.loadFixture(world);
    const [r1, r2] = w.requesters as [World['admin'], World['admin']];
    const p1 = w.providers[0]!;
    const { jobId, terms } = await committed(w);
    const before = await bal(w, r1);
    await expectRevert(call(w, r2, 'dispute', jobId, terms, RESULT), w.market, 'NotRequester');
    await expectRevert(call(w, w.arbiter, 'resolveDispute', jobId, terms, RESULT, true, 1n), w.market, 'WrongStatus', [jobId, S.Committed]);
    await send(w.market, r1, 'dispute', jobId, terms, RESULT);
    await expectRevert(call(w, r1, 'dispute', jobId, terms, RESULT), w.market, 'WrongStatus', [jobId, S.Disputed]);
    assert.equal(before - (await bal(w, r1)), 5n * TOKEN);
    assert.equal(await status(w, jobId), S.Disputed);
    assert.equal(await w.staking.getFunction('freeStake')(p1.address, CLASS_ID), 90n * TOKEN); // only the job's collateral held
    await nh.time.increase(100);
    await expectRevert(call(w, p1, 'settle', jobId, terms, RESULT), w.market, 'WrongStatus', [jobId, S.Disputed]);
    await expectRevert(call(w, p1, 'resolveDispute', jobId, terms, RESULT, false, 0n), w.market, 'AccessControlUnauthorizedAccount');
    const rc = await send(w.market, w.arbiter, 'resolveDispute', jobId, terms, RESULT, true, 50n * TOKEN);
    // Capped at the job's collateral (10 tokens).
    assert.equal(findEvent(w.market, rc, 'DisputeResolved').args.slashed, 10n * TOKEN);
    // escrow + bond back, plus the 10% finder's fee of the slash
    assert.equal((await bal(w, r1)) - before, terms.units * terms.maxPricePerUnit + TOKEN);
    assert.equal(await status(w, jobId), S.Faulted);
    assert.equal((await w.staking.getFunction('classStakes')(p1.address, CLASS_ID)).locked, 0n);
    assert.equal(await marketBalance(w), 0n);
    await expectRevert(call(w, w.arbiter, 'resolveDispute', jobId, terms, RESULT, true, 1n), w.market, 'UnknownJobOrTerms', [jobId]);
  });

  it('arbiter finds no fault: provider is paid and takes the bond', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const p1 = w.providers[0]!;
    const { jobId, terms } = await committed(w);
    await send(w.market, r1, 'dispute', jobId, terms, RESULT);
    const before = await bal(w, p1);
    await send(w.market, w.arbiter, 'resolveDispute', jobId, terms, RESULT, false, 0n);
    const gross = terms.units * PRICE;
    assert.equal((await bal(w, p1)) - before, gross - (gross * 500n) / 10_000n + 5n * TOKEN);
    assert.equal(await status(w, jobId), S.Settled);
    assert.equal(await marketBalance(w), 0n);
  });

  it('closes the window for disputes', async () => {
    const w = await nh.loadFixture(world);
    const { jobId, terms } = await committed(w);
    const { windowEnd } = await w.market.getFunction('jobState')(jobId);
    await nh.time.setNextBlockTimestamp(windowEnd);
    await expectRevert(call(w, w.requesters[0]!, 'dispute', jobId, terms, RESULT), w.market, 'ChallengeWindowClosed', [windowEnd]);
  });
});

describe('JobMarket: price controller', () => {
  it('rises with demand above target, falls below it, by a bounded step', async () => {
    const w = await nh.loadFixture(world);
    const next = (p: bigint, used: bigint) => w.market.getFunction('nextPrice')(p, used) as Promise<bigint>;
    assert.equal(await next(PRICE, 100n), PRICE);
    assert.equal(await next(PRICE, 200n), PRICE + PRICE / 8n);
    assert.equal(await next(PRICE, 10_000n), PRICE + PRICE / 8n); // bounded
    assert.equal(await next(PRICE, 150n), PRICE + PRICE / 16n);
    assert.equal(await next(PRICE, 0n), PRICE - PRICE / 8n);
    assert.equal(await next(1_005n, 0n), 1_000n); // floor
    // Rounding can never freeze a small price: it moves by at least 1 wei both ways.
    assert.equal(await next(1_001n, 99n), 1_000n);
    assert.equal(await next(1_000n, 101n), 1_001n);
  });

  it('applies paid demand at the epoch turn, then empty epochs', async () => {
    const w = await nh.loadFixture(world);
    const job = await postJob(w, w.requesters[0]!, { units: 200n, maxPrice: 2n * PRICE });
    await send(w.market, w.providers[0]!, 'claim', job.jobId, job.terms, 0n);
    await send(w.market, w.providers[0]!, 'commit', job.jobId, job.terms, RESULT);
    await nh.time.increase(30);
    await send(w.market, w.providers[0]!, 'settle', job.jobId, job.terms, RESULT);
    const { epochStart, epochUnits, price } = await w.market.getFunction('priceState')();
    assert.equal(epochUnits, 200n);
    await nh.time.setNextBlockTimestamp(epochStart + 60n);
    await nh.mine();
    assert.equal(await w.market.getFunction('currentPrice')(), price + price / 8n);
    await nh.time.setNextBlockTimestamp(epochStart + 180n); // two more, empty
    await nh.mine();
    const up = price + price / 8n;
    const down1 = up - up / 8n;
    assert.equal(await w.market.getFunction('currentPrice')(), down1 - down1 / 8n);
  });

  it('posting and cancelling does not move the price', async () => {
    const w = await nh.loadFixture(world);
    const r1 = w.requesters[0]!;
    const { epochStart } = await w.market.getFunction('priceState')();
    for (let i = 0; i < 5; i++) {
      const job = await postJob(w, r1, { units: 100_000n, maxPrice: 2n * PRICE });
      await send(w.market, r1, 'cancel', job.jobId, job.terms);
    }
    await nh.time.setNextBlockTimestamp(epochStart + 60n);
    await nh.mine();
    assert.equal(await w.market.getFunction('currentPrice')(), PRICE - PRICE / 8n);
  });

  it('falls all the way to the floor and stays claimable after a long idle', async () => {
    const w = await nh.loadFixture(world);
    // 40 empty epochs: the closed form lands within rounding of 40 exact steps.
    const { epochStart } = await w.market.getFunction('priceState')();
    await nh.time.setNextBlockTimestamp(epochStart + 60n * 41n);
    await nh.mine();
    let exact = PRICE;
    for (let i = 0; i < 41; i++) exact = (await w.market.getFunction('nextPrice')(exact, 0n)) as bigint;
    const approx = (await w.market.getFunction('currentPrice')()) as bigint;
    assert.ok(approx <= exact + 41n && approx + 41n >= exact, `closed form ${approx} vs iterated ${exact}`);
    await nh.time.increase(60 * 100_000);
    assert.equal(await w.market.getFunction('currentPrice')(), 1_000n);
    const { jobId, terms } = await postJob(w, w.requesters[0]!, { maxPrice: 1_000n, units: 1n });
    const rc = await send(w.market, w.providers[0]!, 'claim', jobId, terms, 0n);
    assert.equal(findEvent(w.market, rc, 'JobClaimed').args.pricePerUnit, 1_000n);
    assert.ok(rc.gasUsed < 200_000n, `catch-up is bounded: ${rc.gasUsed}`);
  });
});

describe('JobMarket: rounding at 1 wei', () => {
  it('pays a 1-wei job exactly and keeps a 1-wei floor movable', async () => {
    const w = await nh.loadFixture(world);
    const Market = await ethers.getContractFactory('JobMarket');
    const params = marketParams(w, { initialPrice: 7n, floorPrice: 1n });
    const m = (await Market.deploy(
      await w.token.getAddress(),
      await w.staking.getAddress(),
      params,
      w.admin.address,
      w.arbiter.address,
    )) as unknown as Contract;
    await send(w.staking, w.admin, 'grantRole', await w.staking.getFunction('MARKET_ROLE')(), await m.getAddress());
    const next = (p: bigint, used: bigint) => m.getFunction('nextPrice')(p, used) as Promise<bigint>;
    let p = 7n;
    const path: bigint[] = [];
    while (p > 1n) path.push((p = await next(p, 0n)));
    assert.deepEqual(path, [6n, 5n, 4n, 3n, 2n, 1n]);
    assert.equal(await next(1n, 101n), 2n);
    // A 1-unit job at 7 wei, 5% fee: the fee rounds up to 1 wei (no paid unit is fee-free).
    const r1 = w.requesters[0]!;
    const p1 = w.providers[0]!;
    await send(w.token, r1, 'approve', await m.getAddress(), 10n ** 30n);
    const deadline = (await now(conn)) + 100n;
    const rc = await send(m, r1, 'post', ethers.id('m'), ethers.id('i'), 'u', 1, 9, deadline);
    const jobId = findEvent(m, rc, 'JobPosted').args.jobId as bigint;
    const terms: Terms = { requester: r1.address, units: 1n, maxPricePerUnit: 9n, deadline };
    await send(m, p1, 'claim', jobId, terms, 0n);
    await send(m, p1, 'commit', jobId, terms, RESULT);
    await nh.time.increase(31);
    const settle = await send(m, p1, 'settle', jobId, terms, RESULT);
    const ev = findEvent(m, settle, 'JobSettled');
    assert.deepEqual([ev.args.providerAmount, ev.args.fee, ev.args.refund], [6n, 1n, 2n]);
    assert.equal(await w.token.getFunction('balanceOf')(await m.getAddress()), 0n);
  });
});

describe('JobMarket: construction and admin', () => {
  it('validates parameters', async () => {
    const w = await nh.loadFixture(world);
    const Market = await ethers.getContractFactory('JobMarket');
    const deploy = (over: Record<string, unknown>, admin = w.admin.address) =>
      Market.deploy(w.token.getAddress(), w.staking.getAddress(), marketParams(w, over), admin, w.arbiter.address);
    await expectRevert(deploy({ maxJobDuration: 3_600 }), w.market, 'BadParameter'); // unbonding 3600 too short
    await expectRevert(deploy({ feeBps: 2_001 }), w.market, 'BadParameter');
    await expectRevert(deploy({ challengeWindow: 0 }), w.market, 'BadParameter');
    await expectRevert(deploy({ feeRecipient: ethers.ZeroAddress }), w.market, 'ZeroAddress');
    await expectRevert(deploy({}, ethers.ZeroAddress), w.market, 'ZeroAddress');
    await expectRevert(deploy({ floorPrice: 0n }), w.market, 'BadPriceParameter');
    await expectRevert(deploy({ initialPrice: 999n }), w.market, 'BadPriceParameter');
    await expectRevert(deploy({ maxStepBps: 5_001 }), w.market, 'BadPriceParameter');
    await expectRevert(deploy({ epochLength: 0 }), w.market, 'BadPriceParameter');
    // Issue 14: every parameter bounded.
    await expectRevert(deploy({ feeBps: 9 }), w.market, 'BadParameter'); // under MIN_FEE_BPS
    await expectRevert(deploy({ missPenalty: 10n ** 24n + 1n }), w.market, 'BadParameter');
    await expectRevert(deploy({ disputeBond: 0n }), w.market, 'BadParameter');
    await expectRevert(deploy({ disputeBond: 10n ** 24n + 1n }), w.market, 'BadParameter');
    await expectRevert(deploy({ disputeBondBps: 10_001 }), w.market, 'BadParameter');
    await expectRevert(deploy({ collateralBps: 9_999 }), w.market, 'BadParameter');
    await expectRevert(deploy({ collateralBps: 50_001 }), w.market, 'BadParameter');
    await expectRevert(deploy({ rulingPeriod: 59 }), w.market, 'BadParameter');
    await expectRevert(deploy({ rulingPeriod: 30 * 86_400 + 1 }), w.market, 'BadParameter');
    await expectRevert(deploy({ maxJobDuration: 30 * 86_400 + 1 }), w.market, 'BadParameter');
    await expectRevert(deploy({ challengeWindow: 7 * 86_400 + 1 }), w.market, 'BadParameter');
    await expectRevert(deploy({ rulingPeriod: 3_600 - 630 }), w.market, 'BadParameter'); // 600 + 30 + 2970 = delay
    await expectRevert(deploy({ targetUnitsPerEpoch: 2n ** 64n + 1n }), w.market, 'BadPriceParameter');
    await expectRevert(deploy({ epochLength: 7 * 86_400 + 1 }), w.market, 'BadPriceParameter');
    await expectRevert(deploy({ initialPrice: 2n ** 96n }), w.market, 'BadPriceParameter');
  });

  it('the price computation cannot overflow at the bounds', async () => {
    const w = await nh.loadFixture(world);
    const Market = await ethers.getContractFactory('JobMarket');
    const max96 = 2n ** 96n - 1n;
    const m = (await Market.deploy(
      await w.token.getAddress(),
      await w.staking.getAddress(),
      marketParams(w, { targetUnitsPerEpoch: 2n ** 64n, initialPrice: max96, maxStepBps: 5_000 }),
      w.admin.address,
      w.arbiter.address,
    )) as unknown as Contract;
    const next = (p: bigint, used: bigint) => m.getFunction('nextPrice')(p, used) as Promise<bigint>;
    assert.equal(await next(max96, 2n ** 65n), max96); // capped at uint96, no revert
    const below = await next(max96, 2n ** 64n - 1n); // one unit under target: a tiny step, no overflow
    assert.ok(below < max96 && below > max96 - 2n ** 32n, `${below}`);
    assert.ok((await next(max96, 0n)) < max96);
  });

  it('admin sets fee, penalty and bond; others cannot', async () => {
    const w = await nh.loadFixture(world);
    await expectRevert(call(w, w.outsider, 'setFee', w.outsider.address, 1), w.market, 'AccessControlUnauthorizedAccount');
    await expectRevert(call(w, w.admin, 'setFee', ethers.ZeroAddress, 1), w.market, 'ZeroAddress');
    await expectRevert(call(w, w.admin, 'setFee', w.outsider.address, 2_001), w.market, 'BadParameter');
    await expectRevert(call(w, w.admin, 'setFee', w.outsider.address, 0), w.market, 'BadParameter');
    await expectRevert(call(w, w.admin, 'setMissPenalty', 10n ** 24n + 1n), w.market, 'BadParameter');
    await expectRevert(call(w, w.admin, 'setDisputeBond', 0n, 0), w.market, 'BadParameter');
    await expectRevert(call(w, w.admin, 'setDisputeBond', 1n, 10_001), w.market, 'BadParameter');
    await expectRevert(call(w, w.admin, 'setCollateralBps', 9_999), w.market, 'BadParameter');
    await send(w.market, w.admin, 'setFee', w.outsider.address, 1_000);
    await send(w.market, w.admin, 'setMissPenalty', 0n);
    await send(w.market, w.admin, 'setDisputeBond', 1n, 0);
    await send(w.market, w.admin, 'setCollateralBps', 20_000);
    assert.equal(await w.market.getFunction('feeRecipient')(), w.outsider.address);
    assert.equal(await w.market.getFunction('feeBps')(), 1_000n);
    // With no flat penalty a miss still costs the collateral: 200% of the job's value.
    const { jobId, terms } = await claimed(w, { ttl: 10n });
    await nh.time.increase(20);
    const rc = await send(w.market, w.outsider, 'expire', jobId, terms);
    assert.equal(findEvent(w.market, rc, 'JobExpired').args.penalty, 2n * terms.units * PRICE);
    for (const [method, args] of [
      ['setMissPenalty', [1n]],
      ['setDisputeBond', [1n, 0]],
      ['setCollateralBps', [10_000]],
    ] as const) {
      await expectRevert(call(w, w.outsider, method, ...args), w.market, 'AccessControlUnauthorizedAccount');
    }
  });
});

function marketParams(w: World, over: Record<string, unknown>) {
  const m = testMarket();
  return {
    classId: CLASS_ID,
    epochLength: m.epochLength,
    targetUnitsPerEpoch: m.targetUnitsPerEpoch,
    initialPrice: m.initialPrice,
    floorPrice: m.floorPrice,
    maxStepBps: m.maxStepBps,
    challengeWindow: m.challengeWindow,
    maxJobDuration: m.maxJobDuration,
    feeBps: m.feeBps,
    feeRecipient: w.feeSink.address,
    missPenalty: m.missPenalty,
    disputeBond: m.disputeBond,
    rulingPeriod: m.rulingPeriod,
    collateralBps: m.collateralBps,
    disputeBondBps: m.disputeBondBps,
    ...over,
  };
}
