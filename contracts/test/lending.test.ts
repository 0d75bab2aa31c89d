// LendingVault on the real ProviderStaking: lenders deposit, providers borrow to stake,
// interest on the kinked curve, health factor, liquidation, first loss and bad debt.
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
  send,
  testLending,
  type Signer,
  type World,
} from '../testkit/fixture.ts';
import { BPS, WAD, curveFromYear, debtAt, indexAt, rateAt } from '../testkit/lending.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const SEED = 1_000n * TOKEN;
const MAX = ethers.MaxUint256;

async function earnWorld(): Promise<World> {
  return deployWorld(conn, { earn: { seed: SEED } });
}
/** p1 has its own 100-token bond in and borrowed 300: collateral 400, debt 300, HF 1.2. */
async function borrowedWorld(): Promise<World> {
  const w = await earnWorld();
  await send(w.vault!, w.providers[0]!, 'borrowToStake', CLASS_ID, 300n * TOKEN);
  return w;
}
async function dustWorld(): Promise<World> {
  const w = await deployWorld(conn, { earn: { seed: SEED, dustDebt: 1_000n * TOKEN } });
  await send(w.vault!, w.providers[0]!, 'borrowToStake', CLASS_ID, 300n * TOKEN);
  return w;
}
async function emptyVaultWorld(): Promise<World> {
  return deployWorld(conn, { earn: { seed: 0n } });
}

const call = async <T = bigint>(c: Contract, method: string, ...args: unknown[]) => (await c.getFunction(method)(...args)) as T;
const bal = (w: World, who: string | { address: string }) => call(w.token, 'balanceOf', typeof who === 'string' ? who : who.address);
const vaultCash = async (w: World) => bal(w, await w.vault!.getAddress());
const collateral = (w: World, p: Signer) => call(w.staking, 'collateralOf', p.address);
const debt = (w: World, p: Signer) => call(w.vault!, 'debtOf', p.address);
const slash = (w: World, p: Signer, amount: bigint, classId = CLASS_ID) =>
  send(w.staking, w.arbiter, 'slash', p.address, classId, amount, ethers.ZeroAddress);

/** Everything a failed call must leave unchanged. */
async function books(w: World, p: Signer) {
  return {
    cash: await vaultCash(w),
    state: [...(await call<bigint[]>(w.vault!, 'accrualState'))],
    scaled: await call(w.vault!, 'scaledDebtOf', p.address),
    stake: await collateral(w, p),
    supply: await call(w.vault!, 'totalSupply'),
  };
}

describe('LendingVault: deployment and parameters', () => {
  it('is the staking lender, seeded by the deployer, with the demo curve', async () => {
    const w = await nh.loadFixture(earnWorld);
    const vault = w.vault!;
    assert.equal(await call(w.staking, 'lender'), await vault.getAddress());
    assert.equal(await call(w.market, 'feeRecipient'), await w.pool!.getAddress());
    assert.equal(await call(vault, 'asset'), await w.token.getAddress());
    assert.equal(await call(vault, 'decimals'), 24n); // 18 + the offset of 6
    assert.equal(await call(vault, 'totalAssets'), SEED);
    assert.equal(await call(vault, 'balanceOf', w.admin.address), SEED * 10n ** 6n);
    const curve = curveFromYear(testLending());
    assert.equal(await call(vault, 'slope1PerSecond'), curve.slope1);
    assert.equal(await call(vault, 'slope2PerSecond'), curve.slope2);
    assert.ok(curve.slope2 >= 10n * curve.slope1);
    assert.equal(await call(vault, 'kink'), 8n * 10n ** 17n);
    assert.equal(await call(vault, 'maxLtvBps'), 8_000n);
    assert.equal(await call(vault, 'liquidationThresholdBps'), 9_000n);
    assert.equal(await call(vault, 'liquidationBonusBps'), 500n);
    assert.equal(await call(vault, 'closeFactorBps'), 5_000n);
    assert.equal(await call(vault, 'borrowRate'), 0n);
    assert.equal(await call(vault, 'healthFactor', w.providers[0]!.address), MAX);
  });

  it('refuses a curve or risk parameters out of bounds', async () => {
    const w = await nh.loadFixture(earnWorld);
    const base = testLending();
    const good = {
      baseRatePerYear: base.baseRatePerYear,
      slope1PerYear: base.slope1PerYear,
      slope2PerYear: base.slope2PerYear,
      kink: base.kink,
      maxLtvBps: base.maxLtvBps,
      liquidationThresholdBps: base.liquidationThresholdBps,
      liquidationBonusBps: base.liquidationBonusBps,
      closeFactorBps: base.closeFactorBps,
      dustDebt: base.dustDebt,
    };
    const factory = await ethers.getContractFactory('LendingVault');
    const deploy = (p: Partial<typeof good>) => factory.deploy(w.token.target, w.staking.target, 'v', 'v', { ...good, ...p });
    await deploy({}); // the defaults are fine
    const bad: Partial<typeof good>[] = [
      { slope2PerYear: base.slope1PerYear * 10n - 1n }, // steep part under 10x
      { slope1PerYear: 0n },
      { kink: 0n },
      { kink: WAD },
      { baseRatePerYear: 10n * WAD }, // over 1000 % APR in total
      { maxLtvBps: 9_000 }, // not below the liquidation threshold
      { maxLtvBps: 0 },
      { liquidationThresholdBps: 10_001, maxLtvBps: 8_000 },
      { liquidationThresholdBps: 9_600 }, // 96 % x 1.05 > 1: no room for the bonus
      { liquidationBonusBps: 2_001 },
      { closeFactorBps: 0 },
      { closeFactorBps: 10_001 },
    ];
    for (const p of bad) await expectRevert(deploy(p), w.vault!, 'BadParameter');
    await expectRevert(factory.deploy(ethers.ZeroAddress, w.staking.target, 'v', 'v', good), w.vault!, 'ZeroAddress');
  });
});

describe('LendingVault: borrowing to stake', () => {
  it('stakes the loan for the provider, where it stays as collateral', async () => {
    const w = await nh.loadFixture(earnWorld);
    const [p1] = w.providers as [Signer];
    const before = await bal(w, p1);
    const rc = await send(w.vault!, p1, 'borrowToStake', CLASS_ID, 300n * TOKEN);
    const ev = findEvent(w.vault!, rc, 'Borrowed');
    assert.equal(ev.args.amount, 300n * TOKEN);
    assert.equal(await bal(w, p1), before, 'the provider never holds the borrowed tokens');
    assert.equal(await collateral(w, p1), 400n * TOKEN);
    assert.equal((await call<{ active: bigint }>(w.staking, 'classStakes', p1.address, CLASS_ID)).active, 400n * TOKEN);
    assert.equal(await vaultCash(w), SEED - 300n * TOKEN);
    assert.equal(await debt(w, p1), 300n * TOKEN); // index still 1 in this block
    assert.equal(await call(w.vault!, 'totalDebt'), 300n * TOKEN);
    assert.equal(await call(w.vault!, 'totalAssets'), SEED);
    assert.equal(await call(w.vault!, 'healthFactor', p1.address), (12n * WAD) / 10n);
    assert.equal(await call(w.vault!, 'utilization'), (3n * WAD) / 10n);
  });

  it('refuses zero, more than the cash, beyond the max LTV or without a bond, changing nothing', async () => {
    const w = await nh.loadFixture(earnWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    const snapshot = await books(w, p1);
    await expectRevert(send(vault, p1, 'borrowToStake', CLASS_ID, 0n), vault, 'ZeroAmount');
    await expectRevert(send(vault, p1, 'borrowToStake', CLASS_ID, SEED + 1n), vault, 'InsufficientCash', [SEED, SEED + 1n]);
    // Bond 100: at most 400 (400 <= 80 % of 500); 401 would also leave the health factor near 0.9.
    await expectRevert(send(vault, p1, 'borrowToStake', CLASS_ID, 401n * TOKEN), vault, 'ExceedsMaxLtv', [
      401n * TOKEN,
      (501n * TOKEN * 8_000n) / BPS,
    ]);
    // The outsider never bonded anything: no borrow at all.
    await expectRevert(send(vault, w.outsider, 'borrowToStake', CLASS_ID, TOKEN), vault, 'ExceedsMaxLtv');
    // A class the provider did not declare: staking refuses, the vault's books roll back.
    await expectRevert(send(vault, p1, 'borrowToStake', ethers.id('other'), TOKEN), w.staking, 'ClassNotDeclared');
    assert.deepEqual(await books(w, p1), snapshot);
  });

  it('maxBorrow is what the LTV and the cash allow', async () => {
    const w = await nh.loadFixture(earnWorld);
    const [p1, p2] = w.providers as [Signer, Signer];
    const m = await call(w.vault!, 'maxBorrow', p1.address);
    assert.ok(m <= 400n * TOKEN && m > 400n * TOKEN - 100n, `maxBorrow ${m}`);
    await expectRevert(send(w.vault!, p1, 'borrowToStake', CLASS_ID, m + 20n), w.vault!, 'ExceedsMaxLtv');
    await send(w.vault!, p1, 'borrowToStake', CLASS_ID, m);
    assert.ok((await call(w.vault!, 'maxBorrow', p1.address)) < 100n);
    // p2 could borrow 400 by its bond, but only 600 - ... of cash is left.
    await send(w.staking, p2, 'stake', CLASS_ID, 1_000n * TOKEN);
    assert.equal(await call(w.vault!, 'maxBorrow', p2.address), await vaultCash(w));
  });
});

describe('LendingVault: interest', () => {
  it('accrues per second on the curve, exactly, and compounds over accruals', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const [lender] = w.requesters as [Signer];
    const token = w.token;
    const vault = w.vault!;
    const start = await now(conn);
    let expectedIndex = WAD;
    // Utilization 30 %: 4 % x 0.3 / 0.8 = 1.5 % APR. Check a day, a year, then accrue by
    // a deposit (which changes utilization) and check the next stretch at the new rate.
    for (const [dt, action] of [
      [86_400n, null],
      [365n * 86_400n, 'deposit'],
      [30n * 86_400n, 'repay'],
      [7n * 86_400n, null],
    ] as const) {
      const t = (await now(conn)) + dt;
      const predicted = await indexAt(vault, token, t);
      const predictedDebt = await debtAt(vault, token, p1.address, t);
      await nh.time.increaseTo(t); // mines a block at t
      assert.equal(await call(vault, 'borrowIndex'), predicted);
      assert.equal(await debt(w, p1), predictedDebt);
      const [, , scaled] = await call<bigint[]>(vault, 'accrualState');
      assert.equal(await call(vault, 'totalAssets'), (await vaultCash(w)) + (scaled! * predicted) / WAD);
      assert.ok(predicted > expectedIndex);
      expectedIndex = predicted;
      if (action === 'deposit') await send(vault, lender, 'deposit', 500n * TOKEN, lender.address);
      if (action === 'repay') await send(vault, p1, 'repay', 50n * TOKEN);
    }
    // Over the first day at 1.5 % APR: 300 x 0.015 / 365 ~ 0.0123 tokens.
    const elapsed = (await now(conn)) - start;
    assert.ok(elapsed > 400n * 86_400n);
    // The lender seed earned it all: its shares are worth more than it put in.
    const seedValue = await call(vault, 'convertToAssets', await call(vault, 'balanceOf', w.admin.address));
    assert.ok(seedValue > SEED + 4n * TOKEN, `seed worth ${seedValue}`);
  });

  it('one long stretch earns less than the same time cut by accruals (compounding)', async () => {
    const read = async (cuts: number) => {
      const w = await nh.loadFixture(borrowedWorld);
      const start = await now(conn);
      for (let i = 1; i <= cuts; i++) {
        await nh.time.setNextBlockTimestamp(start + (BigInt(i) * 365n * 86_400n) / BigInt(cuts + 1));
        // A 1-wei repayment by a stranger accrues without moving utilization noticeably.
        await send(w.vault!, w.outsider, 'repayFor', w.providers[0]!.address, 1n);
      }
      await nh.time.increaseTo(start + 365n * 86_400n);
      return call(w.vault!, 'borrowIndex');
    };
    const once = await read(0);
    const often = await read(11);
    assert.ok(often > once, `${often} vs ${once}`);
  });

  it('kinks at 80 % utilization: 4 % APR there, slope at least ten times steeper above, 79 % at 100 %', async () => {
    const w = await nh.loadFixture(earnWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    const curve = curveFromYear(testLending());
    await send(w.staking, p1, 'stake', CLASS_ID, 300n * TOKEN); // bond 400
    const rateNow = async () => {
      const u = await call(vault, 'utilization');
      const r = await call(vault, 'borrowRate');
      assert.equal(r, rateAt(curve, u));
      assert.equal(await call(vault, 'supplyRate'), (r * u) / WAD);
      return { u, r };
    };
    await send(vault, p1, 'borrowToStake', CLASS_ID, 800n * TOKEN); // from zero debt: exactly the kink
    const atKink = await rateNow();
    assert.equal(atKink.u, curve.kink);
    assert.equal(atKink.r, curve.slope1);
    await send(vault, p1, 'borrowToStake', CLASS_ID, 100n * TOKEN);
    const above = await rateNow();
    assert.ok(above.u > curve.kink && above.u < WAD);
    const slopeBelow = (curve.slope1 * WAD) / curve.kink;
    const slopeAbove = ((above.r - atKink.r) * WAD) / (above.u - atKink.u);
    assert.ok(slopeAbove >= 10n * slopeBelow, `${slopeAbove} vs ${slopeBelow}`);
    await send(vault, p1, 'borrowToStake', CLASS_ID, await vaultCash(w)); // every last token
    const full = await rateNow();
    assert.equal(full.u, WAD);
    assert.equal(full.r, curve.slope1 + curve.slope2);
  });

  it('below the kink the rate is linear in utilization', async () => {
    const w = await nh.loadFixture(earnWorld);
    const curve = curveFromYear(testLending());
    await send(w.vault!, w.providers[0]!, 'borrowToStake', CLASS_ID, 400n * TOKEN); // 40 %
    assert.equal(await call(w.vault!, 'utilization'), (4n * WAD) / 10n);
    assert.equal(await call(w.vault!, 'borrowRate'), curve.slope1 / 2n);
  });
});

describe('LendingVault: lenders', () => {
  it('bounds withdrawals by the cash that is not lent out', async () => {
    const w = await nh.loadFixture(earnWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    await send(w.staking, p1, 'stake', CLASS_ID, 200n * TOKEN);
    await send(vault, p1, 'borrowToStake', CLASS_ID, 900n * TOKEN);
    const cash = await vaultCash(w);
    assert.equal(cash, 100n * TOKEN);
    assert.equal(await call(vault, 'maxWithdraw', w.admin.address), cash);
    const maxShares = await call(vault, 'maxRedeem', w.admin.address);
    assert.ok(maxShares < (await call(vault, 'balanceOf', w.admin.address)));
    assert.ok((await call(vault, 'previewRedeem', maxShares)) <= cash);
    assert.ok((await call(vault, 'previewRedeem', maxShares + 10n ** 6n)) > cash, 'bounded by the cash, not less');
    await expectRevert(send(vault, w.admin, 'withdraw', cash + 1n, w.admin.address, w.admin.address), vault, 'ERC4626ExceededMaxWithdraw');
    await send(vault, w.admin, 'withdraw', cash, w.admin.address, w.admin.address);
    assert.equal(await vaultCash(w), 0n);
  });

  it('refuses zero amounts everywhere', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const vault = w.vault!;
    const a = w.admin.address;
    await expectRevert(send(vault, w.admin, 'deposit', 0n, a), vault, 'ZeroAmount');
    await expectRevert(send(vault, w.admin, 'mint', 0n, a), vault, 'ZeroAmount');
    await expectRevert(send(vault, w.admin, 'withdraw', 0n, a, a), vault, 'ZeroAmount');
    await expectRevert(send(vault, w.admin, 'redeem', 0n, a, a), vault, 'ZeroAmount');
    await expectRevert(send(vault, w.providers[0]!, 'repay', 0n), vault, 'ZeroAmount');
    await expectRevert(send(vault, w.outsider, 'repayFor', w.providers[0]!.address, 0n), vault, 'ZeroAmount');
    await expectRevert(send(vault, w.outsider, 'liquidate', w.providers[0]!.address, CLASS_ID, 0n), vault, 'ZeroAmount');
    // A redemption worth nothing (1 share of 1e6 per wei) is refused too, not paid as 0.
    await expectRevert(send(vault, w.admin, 'redeem', 1n, a, a), vault, 'ZeroAmount');
  });

  it('is unprofitable to attack by inflating the first share', async () => {
    const w = await nh.loadFixture(emptyVaultWorld);
    const [attacker, victim] = w.requesters as [Signer, Signer];
    const vault = w.vault!;
    const vaultAddr = await vault.getAddress();
    const a0 = await bal(w, attacker);
    const v0 = await bal(w, victim);
    await send(vault, attacker, 'deposit', 1n, attacker.address);
    await send(w.token, attacker, 'transfer', vaultAddr, 10_000n * TOKEN); // the donation
    await send(vault, victim, 'deposit', 1_000n * TOKEN, victim.address);
    assert.ok((await call(vault, 'balanceOf', victim.address)) > 0n, 'the victim got shares');
    for (const who of [attacker, victim]) {
      await send(vault, who, 'redeem', await call(vault, 'maxRedeem', who.address), who.address, who.address);
    }
    const attackerLoss = a0 - (await bal(w, attacker));
    const victimLoss = v0 - (await bal(w, victim));
    assert.ok(attackerLoss > 0n, 'the attacker loses');
    assert.ok(attackerLoss > victimLoss, `attacker lost ${attackerLoss}, victim ${victimLoss}`);
    assert.ok(victimLoss < TOKEN / 100n, `victim lost ${victimLoss}`);
  });
});

describe('LendingVault: repayment and health', () => {
  it('repays in part, for another, and all of it with max', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    await nh.time.increase(30 * 86_400);
    const before = await bal(w, p1);
    const rc = await send(vault, p1, 'repay', 100n * TOKEN);
    assert.equal(before - (await bal(w, p1)), 100n * TOKEN);
    const left = findEvent(vault, rc, 'Repaid').args.debt as bigint;
    assert.ok(left > 200n * TOKEN && left < 201n * TOKEN);
    assert.equal(await debt(w, p1), left);
    const o = await bal(w, w.outsider);
    await send(vault, w.outsider, 'repayFor', p1.address, 50n * TOKEN);
    assert.equal(o - (await bal(w, w.outsider)), 50n * TOKEN);
    // Max repays exactly the debt of that block, nothing more.
    const t = (await now(conn)) + 10n;
    const owed = await debtAt(vault, w.token, p1.address, t);
    await nh.time.setNextBlockTimestamp(t);
    const p = await bal(w, p1);
    await send(vault, p1, 'repay', MAX);
    assert.equal(p - (await bal(w, p1)), owed);
    assert.equal(await debt(w, p1), 0n);
    assert.equal((await call<bigint[]>(vault, 'accrualState'))[2], 0n);
    assert.equal(await call(vault, 'healthFactor', p1.address), MAX);
    await expectRevert(send(vault, p1, 'repay', TOKEN), vault, 'NoDebt');
    // Free of debt, the provider may unbond everything.
    await send(w.staking, p1, 'requestUnbond', CLASS_ID, 400n * TOKEN);
  });

  it('unbonding that would take the health factor under 1 is refused by the staking', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    // Debt ~300, threshold 90 %: collateral may fall to 333.34 but not below.
    await expectRevert(send(w.staking, p1, 'requestUnbond', CLASS_ID, 67n * TOKEN), w.staking, 'Unhealthy');
    assert.equal(await collateral(w, p1), 400n * TOKEN);
    await send(w.staking, p1, 'requestUnbond', CLASS_ID, 60n * TOKEN);
    assert.equal(await collateral(w, p1), 340n * TOKEN);
    const d = await debt(w, p1);
    const edge = (d * BPS + 8_999n) / 9_000n; // smallest healthy collateral
    assert.equal(await call(w.vault!, 'liquidationCollateral', p1.address), edge);
    assert.equal(await call(w.vault!, 'isHealthyAfter', p1.address, edge), true);
    assert.equal(await call(w.vault!, 'isHealthyAfter', p1.address, edge - 1n), false);
    assert.equal(await call(w.vault!, 'isHealthyAfter', w.providers[1]!.address, 0n), true, 'no debt');
  });

  it('auto-repay: a share of each payment, capped at the debt', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1, p2] = w.providers as [Signer, Signer];
    const vault = w.vault!;
    assert.equal(await call(vault, 'autoRepayAmount', p1.address, 100n * TOKEN), 0n, 'off by default');
    const rc = await send(vault, p1, 'setAutoRepay', 2_500);
    assert.equal(findEvent(vault, rc, 'AutoRepaySet').args.bps, 2_500n);
    assert.equal(await call(vault, 'autoRepayBps', p1.address), 2_500n);
    assert.equal(await call(vault, 'autoRepayAmount', p1.address, 100n * TOKEN), 25n * TOKEN);
    assert.equal(await call(vault, 'autoRepayAmount', p1.address, 10_000n * TOKEN), await debt(w, p1));
    await send(vault, p2, 'setAutoRepay', 10_000);
    assert.equal(await call(vault, 'autoRepayAmount', p2.address, 100n * TOKEN), 0n, 'no debt, nothing to repay');
    await expectRevert(send(vault, p1, 'setAutoRepay', 10_001), vault, 'BadParameter');
  });
});

describe('LendingVault: liquidation, first loss and bad debt', () => {
  it('the bond takes the first loss; lenders lose only what the stake no longer covers, openly', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const liquidator = w.outsider;
    const vault = w.vault!;
    const value0 = await call(vault, 'totalAssets');
    // A 50-token slash: collateral 350 against ~300 debt, still healthy, lenders untouched.
    await slash(w, p1, 50n * TOKEN);
    assert.ok((await call(vault, 'healthFactor', p1.address)) > WAD);
    assert.ok((await call(vault, 'totalAssets')) >= value0);
    await expectRevert(send(vault, liquidator, 'liquidate', p1.address, CLASS_ID, MAX), vault, 'PositionHealthy');
    await expectRevert(send(vault, liquidator, 'writeOffBadDebt', p1.address), vault, 'NotBadDebt', [350n * TOKEN]);
    // Another 50: collateral 300, HF 0.9. Liquidate at most half the debt, with the bonus.
    await slash(w, p1, 50n * TOKEN);
    const d1 = await debtAt(vault, w.token, p1.address, (await now(conn)) + 1n);
    const lb = await bal(w, liquidator);
    const rc = await send(vault, liquidator, 'liquidate', p1.address, CLASS_ID, MAX);
    const ev = findEvent(vault, rc, 'Liquidated').args;
    assert.ok(ev.repaid <= d1 / 2n && ev.repaid >= d1 / 2n - 2n, `repaid ${ev.repaid} of ${d1}`);
    assert.equal(ev.seized, ((d1 / 2n) * 10_500n) / BPS);
    assert.equal((await bal(w, liquidator)) - lb, ev.seized - ev.repaid, 'the liquidator earns the bonus');
    assert.equal(await collateral(w, p1), 300n * TOKEN - ev.seized);
    // Half of what is left (~142.5) would leave less than the class minimum: the next
    // liquidation takes the class stake whole instead of letting dust slip into unbonding,
    // even past the close factor.
    const rc2 = await send(vault, liquidator, 'liquidate', p1.address, CLASS_ID, MAX);
    const ev2 = findEvent(vault, rc2, 'Liquidated').args;
    assert.equal(ev2.seized, 300n * TOKEN - ev.seized);
    assert.equal(ev2.repaid, (ev2.seized * BPS + 10_499n) / 10_500n);
    assert.equal(await collateral(w, p1), 0n);
    assert.deepEqual(
      ((cs) => [cs[0], cs[4]])([...(await call<bigint[]>(w.staking, 'classStakes', p1.address, CLASS_ID))]), // active, unbonding
      [0n, 0n],
      'nothing left to withdraw',
    );
    const left = ev2.debt as bigint;
    assert.ok(left > 0n);
    // Until written off the debt stays on the books; then the share price drops by exactly it.
    const valueBefore = await call(vault, 'totalAssets');
    assert.ok(valueBefore >= value0);
    await expectRevert(send(vault, liquidator, 'liquidate', p1.address, CLASS_ID, MAX), vault, 'NothingSeized');
    const t = (await now(conn)) + 1n;
    const owed = await debtAt(vault, w.token, p1.address, t);
    const cash = await vaultCash(w);
    await nh.time.setNextBlockTimestamp(t);
    const wrc = await send(vault, w.requesters[0]!, 'writeOffBadDebt', p1.address);
    assert.equal(findEvent(vault, wrc, 'BadDebtWrittenOff').args.amount, owed);
    assert.equal(await debt(w, p1), 0n);
    assert.equal(await call(vault, 'totalDebt'), 0n);
    assert.equal(await call(vault, 'totalAssets'), cash);
    // Lenders recovered all but the uncovered part: 300 lent, ~300 + interest back minus `owed`.
    assert.ok(cash + owed >= value0, 'the loss is exactly the written-off debt');
    await expectRevert(send(vault, liquidator, 'writeOffBadDebt', p1.address), vault, 'NoDebt');
  });

  it('a slash the bond absorbs costs lenders nothing, even when liquidated', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    const value0 = await call(vault, 'totalAssets');
    await slash(w, p1, 80n * TOKEN); // collateral 320 vs debt 300: HF 0.96
    for (let i = 0; i < 3 && (await debt(w, p1)) > 0n; i++) {
      await send(vault, w.outsider, 'liquidate', p1.address, CLASS_ID, MAX);
    }
    assert.equal(await debt(w, p1), 0n, 'the whole debt was repaid from the stake');
    assert.ok((await call(vault, 'totalAssets')) >= value0);
    // The provider, free of debt, keeps what was left of its own bond (in unbonding).
    const cs = await call<bigint[]>(w.staking, 'classStakes', p1.address, CLASS_ID);
    assert.ok(cs[0]! + cs[4]! > 0n); // active + unbonding
  });

  it('a slash that pushes the stake into unbonding does not let it escape the debt', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    // 400 staked, ~300 owed. A 350 slash leaves 50, under the class minimum of 100: the
    // staking moves it to unbonding, so the collateral is 0 while the debt stays.
    await slash(w, p1, 350n * TOKEN);
    const cs = await call<bigint[]>(w.staking, 'classStakes', p1.address, CLASS_ID);
    assert.deepEqual([cs[0], cs[4]], [0n, 50n * TOKEN]);
    assert.equal(await collateral(w, p1), 0n);
    assert.equal(await call(w.staking, 'unbondingOf', p1.address), 50n * TOKEN);
    await nh.time.increase(3_601);
    // The escape: withdraw after the delay, leaving the whole debt to lenders. Refused.
    await expectRevert(send(w.staking, p1, 'withdraw', CLASS_ID), w.staking, 'Unhealthy');
    // Nor can it write its own debt off first and then withdraw: the unbonding stake still counts.
    await expectRevert(send(vault, p1, 'writeOffBadDebt', p1.address), vault, 'NotBadDebt', [50n * TOKEN]);
    // A liquidator reaches the unbonding stake; only then is the rest bad debt.
    const lb = await bal(w, w.outsider);
    const rc = await send(vault, w.outsider, 'liquidate', p1.address, CLASS_ID, MAX);
    const ev = findEvent(vault, rc, 'Liquidated').args;
    assert.equal(ev.seized, 50n * TOKEN);
    assert.equal(ev.repaid, (50n * TOKEN * BPS + 10_499n) / 10_500n);
    assert.equal((await bal(w, w.outsider)) - lb, ev.seized - ev.repaid);
    assert.equal(await call(w.staking, 'unbondingOf', p1.address), 0n);
    assert.equal(await call(w.staking, 'totalUnbonding'), 0n);
    await send(vault, w.outsider, 'writeOffBadDebt', p1.address);
    assert.equal(await debt(w, p1), 0n);
    await expectRevert(send(w.staking, p1, 'withdraw', CLASS_ID), w.staking, 'NothingToWithdraw');
  });

  it('unbonding stake leaves once the debt is repaid, or while active stake keeps the position healthy', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const vault = w.vault!;
    await slash(w, p1, 350n * TOKEN); // 50 into unbonding, collateral 0, ~300 owed
    await nh.time.increase(3_601);
    await expectRevert(send(w.staking, p1, 'withdraw', CLASS_ID), w.staking, 'Unhealthy');
    // Healthy again on active stake alone (another class): the unbonding stake may go.
    const other = ethers.id('gpu-other');
    await send(w.staking, w.admin, 'setMinStake', other, 100n * TOKEN);
    await send(w.staking, p1, 'declareClass', other);
    await send(w.staking, p1, 'stake', other, 400n * TOKEN); // 400 x 0.9 >= ~300
    assert.ok((await call(vault, 'healthFactor', p1.address)) >= WAD);
    const before = await bal(w, p1);
    await send(w.staking, p1, 'withdraw', CLASS_ID);
    assert.equal((await bal(w, p1)) - before, 50n * TOKEN);
    // And with no debt at all nothing is asked: repay everything, unbond, withdraw.
    await send(vault, p1, 'repay', MAX);
    await send(w.staking, p1, 'requestUnbond', other, 400n * TOKEN);
    await nh.time.increase(3_601);
    await send(w.staking, p1, 'withdraw', other);
    assert.equal(await call(w.staking, 'unbondingOf', p1.address), 0n);
  });

  it('liquidates only below a health factor of 1, to the wei', async () => {
    const at = async (extra: bigint) => {
      const w = await nh.loadFixture(borrowedWorld);
      const [p1] = w.providers as [Signer];
      const t1 = (await now(conn)) + 10n;
      const t2 = t1 + 1_000n;
      const d2 = await debtAt(w.vault!, w.token, p1.address, t2);
      const edge = (d2 * BPS + 8_999n) / 9_000n; // collateral x 0.9 >= debt
      await nh.time.setNextBlockTimestamp(t1);
      await slash(w, p1, 400n * TOKEN - edge + extra);
      await nh.time.setNextBlockTimestamp(t2);
      return { w, p1, promise: send(w.vault!, w.outsider, 'liquidate', p1.address, CLASS_ID, MAX) };
    };
    const healthy = await at(0n);
    await expectRevert(healthy.promise, healthy.w.vault!, 'PositionHealthy');
    const under = await at(1n);
    const ev = findEvent(under.w.vault!, await under.promise, 'Liquidated').args;
    assert.ok(ev.repaid > 0n);
  });

  it('repays the whole debt when what would be left is dust', async () => {
    const w = await nh.loadFixture(dustWorld); // dust threshold 1000 tokens
    const [p1] = w.providers as [Signer];
    await slash(w, p1, 80n * TOKEN);
    const d = await debtAt(w.vault!, w.token, p1.address, (await now(conn)) + 1n);
    const rc = await send(w.vault!, w.outsider, 'liquidate', p1.address, CLASS_ID, MAX);
    const ev = findEvent(w.vault!, rc, 'Liquidated').args;
    assert.equal(ev.repaid, d);
    assert.equal(ev.debt, 0n);
  });

  it('shrinks the repayment when the class holds less stake: the liquidator pays only for what it gets', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1] = w.providers as [Signer];
    const other = ethers.id('gpu-other');
    await send(w.staking, w.admin, 'setMinStake', other, 100n * TOKEN);
    await send(w.staking, p1, 'declareClass', other);
    await send(w.staking, p1, 'stake', other, 100n * TOKEN); // collateral 500 over two classes
    await slash(w, p1, 200n * TOKEN); // class A 200 + B 100 = 300 vs ~300 debt
    const lb = await bal(w, w.outsider);
    const rc = await send(w.vault!, w.outsider, 'liquidate', p1.address, other, 150n * TOKEN);
    const ev = findEvent(w.vault!, rc, 'Liquidated').args;
    assert.equal(ev.seized, 100n * TOKEN);
    assert.equal(ev.repaid, (100n * TOKEN * BPS + 10_499n) / 10_500n);
    assert.equal((await bal(w, w.outsider)) - lb, ev.seized - ev.repaid);
  });

  it('refuses a liquidation without debt or on a healthy position, changing nothing', async () => {
    const w = await nh.loadFixture(borrowedWorld);
    const [p1, p2] = w.providers as [Signer, Signer];
    const snapshot = await books(w, p1);
    await expectRevert(send(w.vault!, w.outsider, 'liquidate', p2.address, CLASS_ID, TOKEN), w.vault!, 'NoDebt');
    await expectRevert(send(w.vault!, w.outsider, 'liquidate', p1.address, CLASS_ID, TOKEN), w.vault!, 'PositionHealthy');
    const after = await books(w, p1);
    assert.deepEqual({ ...after, state: after.state.slice(2) }, { ...snapshot, state: snapshot.state.slice(2) });
  });
});

describe('LendingVault: reentrancy through a hook token', () => {
  it('blocks re-entry from token hooks on deposit and redeem', async () => {
    const [admin] = (await ethers.getSigners()) as [Signer];
    const token = await ethers.deployContract('HookToken', [10n ** 30n]);
    const staking = await ethers.deployContract('ProviderStaking', [token.target, admin.address, 3_600, 1_000, admin.address]);
    const { seed: _seed, ...params } = testLending();
    const vault = await ethers.deployContract('LendingVault', [token.target, staking.target, 'v', 'v', params]);
    const actor = await ethers.deployContract('ReentrantActor');
    const exec = async (target: Contract, method: string, ...args: unknown[]) =>
      send(actor, admin, 'exec', await target.getAddress(), target.interface.encodeFunctionData(method, args));
    const arm = async (method: string, args: unknown[]) =>
      send(actor, admin, 'arm', vault.target, vault.interface.encodeFunctionData(method, args), false);
    await send(token, admin, 'transfer', actor.target, 1_000n * TOKEN);
    await exec(token, 'approve', vault.target, MAX);
    await exec(token, 'setHooked', true);
    await arm('deposit', [TOKEN, actor.target]);
    await exec(vault, 'deposit', 100n * TOKEN, actor.target);
    assert.equal(await call(actor, 'attempts'), 1n);
    assert.equal(await call(actor, 'lastSuccess'), false);
    assert.equal(vault.interface.parseError(await call<string>(actor, 'lastResult'))?.name, 'ReentrancyGuardReentrantCall');
    assert.equal(await call(vault, 'totalAssets'), 100n * TOKEN);
    await arm('redeem', [10n ** 6n, actor.target, actor.target]);
    await exec(vault, 'redeem', await call(vault, 'balanceOf', actor.target), actor.target, actor.target);
    assert.equal(await call(actor, 'attempts'), 2n);
    assert.equal(vault.interface.parseError(await call<string>(actor, 'lastResult'))?.name, 'ReentrancyGuardReentrantCall');
    assert.equal(await call(vault, 'totalSupply'), 0n);
  });
});
