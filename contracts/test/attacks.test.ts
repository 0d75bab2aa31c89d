// Reentrancy through token hooks: the protocol contracts are run on an ERC-777-style
// token whose hooks call back into them mid-transfer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import type { Contract } from 'ethers';
import { CLASS_ID, TOKEN, findEvent, now, send, testMarket, type Signer, type Terms } from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const RESULT = ethers.id('result');

async function hookedWorld() {
  const [admin, requester, provider] = (await ethers.getSigners()) as [Signer, Signer, Signer];
  const token = await ethers.deployContract('HookToken', [10n ** 30n]);
  const staking = await ethers.deployContract('ProviderStaking', [await token.getAddress(), admin.address, 3_600, 1_000, admin.address]);
  const m = testMarket();
  await send(staking, admin, 'setMinStake', CLASS_ID, m.minStake);
  const market = await ethers.deployContract('JobMarket', [
    await token.getAddress(),
    await staking.getAddress(),
    { ...m, classId: CLASS_ID, feeRecipient: admin.address },
    admin.address,
    admin.address,
  ]);
  await send(staking, admin, 'grantRole', await staking.getFunction('MARKET_ROLE')(), await market.getAddress());
  await send(staking, admin, 'grantRole', await staking.getFunction('REWARD_DISTRIBUTOR_ROLE')(), admin.address);
  const actor = await ethers.deployContract('ReentrantActor');
  const actorAddr = await actor.getAddress();
  await send(token, admin, 'transfer', actorAddr, 10_000n * TOKEN);
  await send(token, admin, 'transfer', requester.address, 10_000n * TOKEN);
  await send(token, admin, 'transfer', provider.address, 10_000n * TOKEN);
  for (const spender of [await market.getAddress(), await staking.getAddress()]) {
    await exec(actor, admin, token, 'approve', spender, ethers.MaxUint256);
    await send(token, requester, 'approve', spender, ethers.MaxUint256);
    await send(token, provider, 'approve', spender, ethers.MaxUint256);
  }
  await exec(actor, admin, token, 'setHooked', true);
  return { admin, requester, provider, token, staking, market, actor, actorAddr };
}

/** Has the actor contract call `target.method(args)`. */
async function exec(actor: Contract, from: Signer, target: Contract, method: string, ...args: unknown[]) {
  const data = target.interface.encodeFunctionData(method, args);
  return send(actor, from, 'exec', await target.getAddress(), data);
}

async function arm(actor: Contract, from: Signer, target: Contract, method: string, args: unknown[], bubble = false) {
  await send(actor, from, 'arm', await target.getAddress(), target.interface.encodeFunctionData(method, args), bubble);
}

async function assertReentryBlocked(actor: Contract, guarded: Contract) {
  assert.equal(await actor.getFunction('attempts')(), 1n, 'the hook fired');
  assert.equal(await actor.getFunction('lastSuccess')(), false);
  const reason = (await actor.getFunction('lastResult')()) as string;
  assert.equal(guarded.interface.parseError(reason)?.name, 'ReentrancyGuardReentrantCall');
}

const balance = async (token: Contract, who: string) => (await token.getFunction('balanceOf')(who)) as bigint;

async function post(market: Contract, requester: Signer, units = 10n, maxPrice = TOKEN / 50n) {
  const deadline = (await now(conn)) + 300n;
  const rc = await send(market, requester, 'post', ethers.id('m'), ethers.id('i'), 'u', units, maxPrice, deadline);
  const jobId = findEvent(market, rc, 'JobPosted').args.jobId as bigint;
  return { jobId, terms: { requester: requester.address, units, maxPricePerUnit: maxPrice, deadline } };
}

describe('attacks: reentrancy through token hooks', () => {
  it('a provider cannot settle twice from its payment hook', async () => {
    const w = await nh.loadFixture(hookedWorld);
    await exec(w.actor, w.admin, w.staking, 'register', [CLASS_ID], '');
    await exec(w.actor, w.admin, w.staking, 'stake', CLASS_ID, 100n * TOKEN);
    const { jobId, terms } = await post(w.market, w.requester);
    await exec(w.actor, w.admin, w.market, 'claim', jobId, terms, 0n);
    await exec(w.actor, w.admin, w.market, 'commit', jobId, terms, RESULT);
    await nh.time.increase(31);
    await arm(w.actor, w.admin, w.market, 'settle', [jobId, terms, RESULT]);
    const before = await balance(w.token, w.actorAddr);
    await send(w.market, w.requester, 'settle', jobId, terms, RESULT);
    await assertReentryBlocked(w.actor, w.market);
    const gross = terms.units * (TOKEN / 100n);
    assert.equal((await balance(w.token, w.actorAddr)) - before, gross - (gross * 500n) / 10_000n);
    assert.equal(await balance(w.token, await w.market.getAddress()), 0n);
  });

  it('a hook that bubbles the failure makes the whole settle revert, paying nothing', async () => {
    const w = await nh.loadFixture(hookedWorld);
    await exec(w.actor, w.admin, w.staking, 'register', [CLASS_ID], '');
    await exec(w.actor, w.admin, w.staking, 'stake', CLASS_ID, 100n * TOKEN);
    const { jobId, terms } = await post(w.market, w.requester);
    await exec(w.actor, w.admin, w.market, 'claim', jobId, terms, 0n);
    await exec(w.actor, w.admin, w.market, 'commit', jobId, terms, RESULT);
    await nh.time.increase(31);
    await arm(w.actor, w.admin, w.market, 'settle', [jobId, terms, RESULT], true);
    await assert.rejects(send(w.market, w.requester, 'settle', jobId, terms, RESULT));
    assert.equal(await balance(w.token, await w.market.getAddress()), terms.units * terms.maxPricePerUnit);
  });

  it('a requester cannot cancel twice from its refund hook', async () => {
    const w = await nh.loadFixture(hookedWorld);
    const deadline = (await now(conn)) + 300n;
    const terms: Terms = { requester: w.actorAddr, units: 10n, maxPricePerUnit: TOKEN / 50n, deadline };
    const rc = await exec(w.actor, w.admin, w.market, 'post', ethers.id('m'), ethers.id('i'), 'u', 10n, TOKEN / 50n, deadline);
    const jobId = findEvent(w.market, rc, 'JobPosted').args.jobId as bigint;
    await arm(w.actor, w.admin, w.market, 'cancel', [jobId, terms]);
    const before = await balance(w.token, w.actorAddr);
    await exec(w.actor, w.admin, w.market, 'cancel', jobId, terms);
    await assertReentryBlocked(w.actor, w.market);
    assert.equal((await balance(w.token, w.actorAddr)) - before, 10n * (TOKEN / 50n));
    assert.equal(await balance(w.token, await w.market.getAddress()), 0n);
  });

  it('a requester cannot cancel from its send hook before the escrow arrives', async () => {
    const w = await nh.loadFixture(hookedWorld);
    const deadline = (await now(conn)) + 300n;
    const terms: Terms = { requester: w.actorAddr, units: 10n, maxPricePerUnit: TOKEN / 50n, deadline };
    const jobId = (await w.market.getFunction('nextJobId')()) as bigint;
    await arm(w.actor, w.admin, w.market, 'cancel', [jobId, terms]);
    await exec(w.actor, w.admin, w.market, 'post', ethers.id('m'), ethers.id('i'), 'u', 10n, TOKEN / 50n, deadline);
    await assertReentryBlocked(w.actor, w.market);
    assert.equal(await balance(w.token, await w.market.getAddress()), 10n * (TOKEN / 50n));
  });

  it('a provider cannot withdraw twice or claim rewards twice from its hook', async () => {
    const w = await nh.loadFixture(hookedWorld);
    await exec(w.actor, w.admin, w.staking, 'register', [CLASS_ID], '');
    await exec(w.actor, w.admin, w.staking, 'stake', CLASS_ID, 200n * TOKEN);
    await send(w.token, w.admin, 'approve', await w.staking.getAddress(), 1_000n * TOKEN);
    await send(w.staking, w.admin, 'notifyRewardAmount', 1_000n * TOKEN, 100);
    await nh.time.increase(200);
    await arm(w.actor, w.admin, w.staking, 'claimRewards', []);
    const before = await balance(w.token, w.actorAddr);
    await exec(w.actor, w.admin, w.staking, 'claimRewards');
    await assertReentryBlocked(w.actor, w.staking);
    const paid = (await balance(w.token, w.actorAddr)) - before;
    assert.ok(paid <= 1_000n * TOKEN && paid > 999n * TOKEN);

    await exec(w.actor, w.admin, w.staking, 'requestUnbond', CLASS_ID, 200n * TOKEN);
    await nh.time.increase(3_601);
    await send(
      w.actor,
      w.admin,
      'arm',
      await w.staking.getAddress(),
      w.staking.interface.encodeFunctionData('withdraw', [CLASS_ID]),
      false,
    );
    const before2 = await balance(w.token, w.actorAddr);
    await exec(w.actor, w.admin, w.staking, 'withdraw', CLASS_ID);
    assert.equal(await w.actor.getFunction('attempts')(), 2n);
    assert.equal(await w.actor.getFunction('lastSuccess')(), false);
    assert.equal((await balance(w.token, w.actorAddr)) - before2, 200n * TOKEN);
  });
});
