import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { CLASS_ID, TOKEN, deployWorld, expectRevert, findEvent, now, send, type World } from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const OTHER_CLASS = ethers.id('gpu-other');

async function staked(): Promise<World> {
  return deployWorld(conn);
}
async function bare(): Promise<World> {
  return deployWorld(conn, { stakeProviders: false });
}

/** token balance held == active + unbonding + reward reserve (no donations in these tests). */
async function assertSolvent(w: World): Promise<void> {
  const balance = (await w.token.getFunction('balanceOf')(await w.staking.getAddress())) as bigint;
  const total =
    ((await w.staking.getFunction('totalStaked')()) as bigint) +
    ((await w.staking.getFunction('totalUnbonding')()) as bigint) +
    ((await w.staking.getFunction('rewardReserve')()) as bigint);
  assert.equal(balance, total);
}

describe('ProviderStaking: registration', () => {
  it('registers with classes and an endpoint, assigns ids', async () => {
    const w = await nh.loadFixture(bare);
    const [p1, p2] = w.providers as [World['admin'], World['admin']];
    const rc = await send(w.staking, p1, 'register', [CLASS_ID], 'https://p1.example');
    const ev = findEvent(w.staking, rc, 'ProviderRegistered');
    assert.equal(ev.args.id, 1n);
    await send(w.staking, p2, 'register', [], 'https://p2.example');
    assert.equal(await w.staking.getFunction('providerOf')(2), p2.address);
    assert.deepEqual([...(await w.staking.getFunction('classesOf')(p1.address))], [CLASS_ID]);
    assert.equal(await w.staking.getFunction('endpoints')(p1.address), 'https://p1.example');
    await send(w.staking, p1, 'setEndpoint', 'https://new.example');
    assert.equal(await w.staking.getFunction('endpoints')(p1.address), 'https://new.example');
    await send(w.staking, p2, 'declareClass', CLASS_ID);
    await send(w.staking, p2, 'declareClass', CLASS_ID); // idempotent
    assert.deepEqual([...(await w.staking.getFunction('classesOf')(p2.address))], [CLASS_ID]);
  });

  it('rejects double registration, unknown classes and calls before registering', async () => {
    const w = await nh.loadFixture(bare);
    const [p1, p2] = w.providers as [World['admin'], World['admin']];
    await send(w.staking, p1, 'register', [CLASS_ID], '');
    await expectRevert(w.staking.connect(p1).getFunction('register')([CLASS_ID], ''), w.staking, 'AlreadyRegistered');
    await expectRevert(w.staking.connect(p2).getFunction('register')([OTHER_CLASS], ''), w.staking, 'ClassNotEnabled', [OTHER_CLASS]);
    await expectRevert(w.staking.connect(p2).getFunction('declareClass')(CLASS_ID), w.staking, 'NotRegistered');
    await expectRevert(w.staking.connect(p2).getFunction('setEndpoint')('x'), w.staking, 'NotRegistered');
    await expectRevert(w.staking.connect(p2).getFunction('stake')(CLASS_ID, TOKEN * 100n), w.staking, 'NotRegistered');
  });
});

describe('ProviderStaking: stake, unbond, withdraw', () => {
  it('stakes above the minimum and becomes eligible', async () => {
    const w = await nh.loadFixture(bare);
    const p1 = w.providers[0]!;
    await send(w.staking, p1, 'register', [CLASS_ID], '');
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 0n);
    await expectRevert(w.staking.connect(p1).getFunction('stake')(CLASS_ID, 0n), w.staking, 'ZeroAmount');
    await expectRevert(w.staking.connect(p1).getFunction('stake')(CLASS_ID, 1n), w.staking, 'BelowMinStake', [1n, 100n * TOKEN]);
    await send(w.staking, p1, 'stake', CLASS_ID, 100n * TOKEN);
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 1n);
    await send(w.staking, p1, 'stake', CLASS_ID, 1n); // top-ups of any size once above the minimum
    const cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.equal(cs.active, 100n * TOKEN + 1n);
    assert.equal(await w.staking.getFunction('totalStaked')(), 100n * TOKEN + 1n);
    await assertSolvent(w);
  });

  it('refuses undeclared and disabled classes', async () => {
    const w = await nh.loadFixture(bare);
    const p1 = w.providers[0]!;
    await send(w.staking, w.admin, 'setMinStake', OTHER_CLASS, 100n * TOKEN);
    await send(w.staking, p1, 'register', [CLASS_ID], '');
    await expectRevert(w.staking.connect(p1).getFunction('stake')(OTHER_CLASS, 100n * TOKEN), w.staking, 'ClassNotDeclared', [OTHER_CLASS]);
    await send(w.staking, p1, 'declareClass', OTHER_CLASS);
    await send(w.staking, w.admin, 'setMinStake', OTHER_CLASS, 0n);
    await expectRevert(w.staking.connect(p1).getFunction('stake')(OTHER_CLASS, 100n * TOKEN), w.staking, 'ClassNotEnabled', [OTHER_CLASS]);
  });

  it('stakes with an EIP-2612 permit, even when the permit was front-run', async () => {
    const w = await nh.loadFixture(bare);
    const p1 = w.providers[0]!;
    await send(w.token, p1, 'approve', await w.staking.getAddress(), 0n);
    await send(w.staking, p1, 'register', [CLASS_ID], '');
    const deadline = (await now(conn)) + 3600n;
    const sig = await signPermit(w, p1, await w.staking.getAddress(), 100n * TOKEN, deadline);
    // Someone copies the permit from the mempool and submits it first.
    await send(w.token, w.outsider, 'permit', p1.address, await w.staking.getAddress(), 100n * TOKEN, deadline, sig.v, sig.r, sig.s);
    await send(w.staking, p1, 'stakeWithPermit', CLASS_ID, 100n * TOKEN, deadline, sig.v, sig.r, sig.s);
    assert.equal((await w.staking.getFunction('classStakes')(p1.address, CLASS_ID)).active, 100n * TOKEN);
    // A fresh permit works directly.
    const sig2 = await signPermit(w, p1, await w.staking.getAddress(), 5n * TOKEN, deadline);
    await send(w.staking, p1, 'stakeWithPermit', CLASS_ID, 5n * TOKEN, deadline, sig2.v, sig2.r, sig2.s);
    assert.equal((await w.staking.getFunction('classStakes')(p1.address, CLASS_ID)).active, 105n * TOKEN);
  });

  it('unbonds: no dust left, delay enforced, then withdraws', async () => {
    const w = await nh.loadFixture(staked);
    const p1 = w.providers[0]!;
    const st = w.staking.connect(p1);
    await expectRevert(st.getFunction('requestUnbond')(CLASS_ID, 0n), w.staking, 'ZeroAmount');
    await expectRevert(st.getFunction('requestUnbond')(CLASS_ID, 101n * TOKEN), w.staking, 'InsufficientStake', [
      100n * TOKEN,
      101n * TOKEN,
    ]);
    await expectRevert(st.getFunction('requestUnbond')(CLASS_ID, 100n * TOKEN - 1n), w.staking, 'BelowMinStake', [1n, 100n * TOKEN]);
    await expectRevert(st.getFunction('withdraw')(CLASS_ID), w.staking, 'NothingToWithdraw');
    const rc = await send(w.staking, p1, 'requestUnbond', CLASS_ID, 100n * TOKEN);
    const releaseAt = findEvent(w.staking, rc, 'UnbondRequested').args.releaseAt as bigint;
    assert.equal(releaseAt, (await now(conn)) + 3600n);
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 0n);
    await expectRevert(st.getFunction('withdraw')(CLASS_ID), w.staking, 'StillUnbonding', [releaseAt]);
    await nh.time.increaseTo(releaseAt);
    const before = (await w.token.getFunction('balanceOf')(p1.address)) as bigint;
    await send(w.staking, p1, 'withdraw', CLASS_ID);
    assert.equal((await w.token.getFunction('balanceOf')(p1.address)) - before, 100n * TOKEN);
    await expectRevert(st.getFunction('withdraw')(CLASS_ID), w.staking, 'NothingToWithdraw');
    await assertSolvent(w);
  });

  it('only markets lock collateral; locked stake cannot be unbonded', async () => {
    const w = await nh.loadFixture(staked);
    const p1 = w.providers[0]!;
    for (const [method, args] of [
      ['lockCollateral', [p1.address, CLASS_ID, TOKEN]],
      ['releaseCollateral', [1, CLASS_ID, TOKEN]],
      ['slashCollateral', [1, CLASS_ID, TOKEN, TOKEN, w.outsider.address]],
    ] as const) {
      await expectRevert(w.staking.connect(w.outsider).getFunction(method)(...args), w.staking, 'NotAuthorized');
    }
    // A real claim locks 10 tokens; only the other 90 are free, and 90 would leave 10 < minimum.
    const deadline = (await now(conn)) + 300n;
    const rc = await send(w.market, w.requesters[0]!, 'post', ethers.id('m'), ethers.id('i'), 'u', 10n, TOKEN / 50n, deadline);
    const jobId = findEvent(w.market, rc, 'JobPosted').args.jobId as bigint;
    const terms = { requester: w.requesters[0]!.address, units: 10n, maxPricePerUnit: TOKEN / 50n, deadline };
    await send(w.market, p1, 'claim', jobId, terms, 0n);
    await send(w.staking, p1, 'stake', CLASS_ID, 100n * TOKEN);
    await expectRevert(w.staking.connect(p1).getFunction('requestUnbond')(CLASS_ID, 200n * TOKEN), w.staking, 'InsufficientStake', [
      190n * TOKEN,
      200n * TOKEN,
    ]);
    await send(w.staking, p1, 'requestUnbond', CLASS_ID, 100n * TOKEN);
    assert.equal(await w.staking.getFunction('freeStake')(p1.address, CLASS_ID), 90n * TOKEN);
  });
});

describe('ProviderStaking: slashing', () => {
  it('only markets and arbiters slash; active first, then unbonding; finder gets its fee', async () => {
    const w = await nh.loadFixture(staked);
    const p1 = w.providers[0]!;
    await expectRevert(
      w.staking.connect(w.outsider).getFunction('slash')(p1.address, CLASS_ID, TOKEN, w.outsider.address),
      w.staking,
      'NotAuthorized',
    );
    await send(w.staking, p1, 'stake', CLASS_ID, 100n * TOKEN);
    await send(w.staking, p1, 'requestUnbond', CLASS_ID, 100n * TOKEN); // 100 active, 100 unbonding
    const finderBefore = (await w.token.getFunction('balanceOf')(w.outsider.address)) as bigint;
    const sinkBefore = (await w.token.getFunction('balanceOf')(w.slashSink.address)) as bigint;
    const rc = await send(w.staking, w.arbiter, 'slash', p1.address, CLASS_ID, 150n * TOKEN, w.outsider.address);
    const ev = findEvent(w.staking, rc, 'Slashed');
    assert.equal(ev.args.amount, 150n * TOKEN);
    assert.equal(ev.args.finderFee, 15n * TOKEN);
    assert.equal((await w.token.getFunction('balanceOf')(w.outsider.address)) - finderBefore, 15n * TOKEN);
    assert.equal((await w.token.getFunction('balanceOf')(w.slashSink.address)) - sinkBefore, 135n * TOKEN);
    const cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.equal(cs.active, 0n);
    assert.equal(cs.unbonding, 50n * TOKEN); // still slashable while unbonding
    await send(w.staking, w.arbiter, 'slash', p1.address, CLASS_ID, 1_000n * TOKEN, w.outsider.address);
    const after = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.equal(after.unbonding, 0n);
    // Nothing left: a no-op, not a revert.
    const rc2 = await send(w.staking, w.arbiter, 'slash', p1.address, CLASS_ID, TOKEN, w.outsider.address);
    assert.equal(rc2.logs.length, 0);
    await assertSolvent(w);
  });

  it('moves an active remainder under the minimum to unbonding (no dust stake)', async () => {
    // (locked collateral is covered in economics.test.ts)
    const w = await nh.loadFixture(staked);
    const p1 = w.providers[0]!;
    await send(w.staking, w.arbiter, 'slash', p1.address, CLASS_ID, 100n * TOKEN - 1n, w.outsider.address);
    const cs = await w.staking.getFunction('classStakes')(p1.address, CLASS_ID);
    assert.equal(cs.active, 0n);
    assert.equal(cs.unbonding, 1n);
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 0n);
    assert.equal(await w.staking.getFunction('totalStaked')(), 200n * TOKEN);
  });

  it('jails and unjails through the arbiter', async () => {
    const w = await nh.loadFixture(staked);
    const p1 = w.providers[0]!;
    await send(w.staking, w.arbiter, 'setJailed', p1.address, true);
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 0n);
    await send(w.staking, w.arbiter, 'setJailed', p1.address, false);
    assert.equal(await w.staking.getFunction('eligibleId')(p1.address, CLASS_ID), 1n);
    await expectRevert(w.staking.connect(w.arbiter).getFunction('setJailed')(w.outsider.address, true), w.staking, 'NotRegistered');
    await expectRevert(w.staking.connect(p1).getFunction('setJailed')(p1.address, false), w.staking, 'AccessControlUnauthorizedAccount');
  });
});

describe('ProviderStaking: rewards', () => {
  async function fund(w: World, amount: bigint, duration: number) {
    await send(w.token, w.admin, 'approve', await w.staking.getAddress(), amount);
    return send(w.staking, w.admin, 'notifyRewardAmount', amount, duration);
  }

  it('splits a stream pro rata and pays only rewards, never principal', async () => {
    const w = await nh.loadFixture(staked); // three providers with 100 each
    await fund(w, 3_000n * TOKEN, 1_000);
    await nh.time.increase(2_000);
    const balances: bigint[] = [];
    for (const p of w.providers) {
      const before = (await w.token.getFunction('balanceOf')(p.address)) as bigint;
      await send(w.staking, p, 'claimRewards');
      balances.push(((await w.token.getFunction('balanceOf')(p.address)) as bigint) - before);
    }
    const sum = balances.reduce((a, b) => a + b, 0n);
    assert.ok(sum <= 3_000n * TOKEN && sum >= 3_000n * TOKEN - 10n, `paid ${sum}`);
    for (const b of balances) assert.ok(b > 999n * TOKEN && b <= 1_000n * TOKEN);
    // A second claim pays nothing; principal stays staked.
    const p1 = w.providers[0]!;
    const before = (await w.token.getFunction('balanceOf')(p1.address)) as bigint;
    await send(w.staking, p1, 'claimRewards');
    assert.equal(await w.token.getFunction('balanceOf')(p1.address), before);
    assert.equal(await w.staking.getFunction('totalStaked')(), 300n * TOKEN);
    await assertSolvent(w);
  });

  it('principal and donations are never counted as rewards (same token)', async () => {
    const w = await nh.loadFixture(staked);
    await send(w.token, w.outsider, 'transfer', await w.staking.getAddress(), 1_000n * TOKEN); // donation
    await nh.time.increase(1_000);
    for (const p of w.providers) assert.equal(await w.staking.getFunction('earned')(p.address), 0n);
    const p1 = w.providers[0]!;
    const before = (await w.token.getFunction('balanceOf')(p1.address)) as bigint;
    await send(w.staking, p1, 'claimRewards');
    assert.equal(await w.token.getFunction('balanceOf')(p1.address), before);
    // An empty stream cannot be started from that balance either.
    await expectRevert(w.staking.connect(w.admin).getFunction('notifyRewardAmount')(0n, 100), w.staking, 'ZeroAmount');
  });

  it('does not lose the rewards streamed while nothing is staked', async () => {
    const w = await nh.loadFixture(bare);
    const p1 = w.providers[0]!;
    await send(w.staking, p1, 'register', [CLASS_ID], '');
    await fund(w, 1_000n * TOKEN, 100);
    await nh.time.increase(49);
    assert.equal(await w.staking.getFunction('rewardPerToken')(), 0n);
    await send(w.staking, p1, 'stake', CLASS_ID, 100n * TOKEN); // ~half the stream already passed
    await nh.time.increase(200);
    const earnedFirst = (await w.staking.getFunction('earned')(p1.address)) as bigint;
    assert.ok(earnedFirst < 600n * TOKEN, `earned ${earnedFirst}`);
    // Poke the accounting so the idle half is recorded, then re-stream it.
    await send(w.staking, p1, 'claimRewards');
    const unallocated = (await w.staking.getFunction('unallocatedRewards')()) as bigint;
    assert.ok(unallocated >= 400n * TOKEN, `unallocated ${unallocated}`);
    await send(w.staking, w.admin, 'notifyRewardAmount', 0n, 100);
    await nh.time.increase(200);
    await send(w.staking, p1, 'claimRewards');
    const paid = (await w.staking.getFunction('rewardReserve')()) as bigint;
    // Everything funded was paid except rounding dust (< 1 token-wei per second).
    assert.ok(paid < 1_000n, `left in reserve ${paid}`);
    await assertSolvent(w);
  });

  it('a 1-wei stake cannot become the whole denominator', async () => {
    const w = await nh.loadFixture(bare);
    const p1 = w.providers[0]!;
    await send(w.staking, p1, 'register', [CLASS_ID], '');
    await fund(w, 1_000n * TOKEN, 100);
    await expectRevert(w.staking.connect(p1).getFunction('stake')(CLASS_ID, 1n), w.staking, 'BelowMinStake', [1n, 100n * TOKEN]);
    await expectRevert(w.staking.connect(w.admin).getFunction('setMinStake')(CLASS_ID, 1n), w.staking, 'BadParameter');
    // Even a disabled class keeps the floor for what stays staked.
    await send(w.staking, p1, 'stake', CLASS_ID, 100n * TOKEN);
    await send(w.staking, w.admin, 'setMinStake', CLASS_ID, 0n);
    await expectRevert(w.staking.connect(p1).getFunction('requestUnbond')(CLASS_ID, 100n * TOKEN - 1n), w.staking, 'BelowMinStake', [
      1n,
      TOKEN,
    ]);
  });

  it('cannot notify unfunded rewards, and only the distributor may notify', async () => {
    const w = await nh.loadFixture(staked);
    await expectRevert(w.staking.connect(w.admin).getFunction('notifyRewardAmount')(TOKEN, 100), w.token, 'ERC20InsufficientAllowance');
    await expectRevert(
      w.staking.connect(w.outsider).getFunction('notifyRewardAmount')(TOKEN, 100),
      w.staking,
      'AccessControlUnauthorizedAccount',
    );
    await send(w.token, w.admin, 'approve', await w.staking.getAddress(), TOKEN);
    await expectRevert(w.staking.connect(w.admin).getFunction('notifyRewardAmount')(TOKEN, 0), w.staking, 'BadParameter');
    await expectRevert(w.staking.connect(w.admin).getFunction('notifyRewardAmount')(1n, 100), w.staking, 'ZeroAmount');
  });

  it('extends a running stream with its leftover', async () => {
    const w = await nh.loadFixture(staked);
    await fund(w, 1_000n * TOKEN, 100);
    await nh.time.increase(49);
    await fund(w, 1_000n * TOKEN, 100); // ~500 left + 1000 new over 100 s
    await nh.time.increase(500);
    let total = 0n;
    for (const p of w.providers) total += (await w.staking.getFunction('earned')(p.address)) as bigint;
    assert.ok(total <= 2_000n * TOKEN && total > 2_000n * TOKEN - 1_000n, `earned ${total}`);
  });
});

describe('ProviderStaking: admin', () => {
  it('validates parameters and roles', async () => {
    const w = await nh.loadFixture(staked);
    const st = w.staking.connect(w.admin);
    await expectRevert(st.getFunction('setUnbondingDelay')(366n * 86_400n), w.staking, 'BadParameter');
    await expectRevert(st.getFunction('setFinderFeeBps')(5_001), w.staking, 'BadParameter');
    await expectRevert(st.getFunction('setSlashRecipient')(ethers.ZeroAddress), w.staking, 'ZeroAddress');
    await send(w.staking, w.admin, 'setUnbondingDelay', 7_200);
    await send(w.staking, w.admin, 'setFinderFeeBps', 2_000);
    await send(w.staking, w.admin, 'setSlashRecipient', w.outsider.address);
    assert.equal(await w.staking.getFunction('unbondingDelay')(), 7_200n);
    assert.equal(await w.staking.getFunction('finderFeeBps')(), 2_000n);
    assert.equal(await w.staking.getFunction('slashRecipient')(), w.outsider.address);
    await expectRevert(
      w.staking.connect(w.outsider).getFunction('setMinStake')(CLASS_ID, TOKEN),
      w.staking,
      'AccessControlUnauthorizedAccount',
    );
    const Factory = await ethers.getContractFactory('ProviderStaking');
    await expectRevert(Factory.deploy(ethers.ZeroAddress, w.admin.address, 1, 1, w.admin.address), w.staking, 'ZeroAddress');
    await expectRevert(Factory.deploy(await w.token.getAddress(), w.admin.address, 1, 5_001, w.admin.address), w.staking, 'BadParameter');
  });
});

async function signPermit(w: World, owner: World['admin'], spender: string, value: bigint, deadline: bigint) {
  const nonce = (await w.token.getFunction('nonces')(owner.address)) as bigint;
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: 'Hearth', version: '1', chainId, verifyingContract: await w.token.getAddress() };
  const types = {
    Permit: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
    ],
  };
  const signature = await owner.signTypedData(domain, types, { owner: owner.address, spender, value, nonce, deadline });
  return ethers.Signature.from(signature);
}
