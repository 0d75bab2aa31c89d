/** Staking through the positions service on a real local chain: reads equal the contract, stake → unbond → withdraw, rewards. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEther } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import { startHarness } from './testing.ts';

const rejectsWith = async (p: Promise<unknown>, code: string, pattern?: RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof HearthError, `a HearthError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });

test('staking positions on the local chain', { timeout: 180_000 }, async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const { service, user, admin } = h;
  const cpu = h.devnet.deployment.markets.find((m) => m.classLabel === 'cpu')!;

  await t.test('the view before anything is staked', async () => {
    const v = await service.get();
    assert.equal(v.address, user.address);
    assert.equal(v.tokenBalanceWei, parseEther('100000').toString());
    assert.equal(v.nativeBalanceWei, (await h.provider.getBalance(user.address)).toString());
    assert.equal(v.staking?.registered, false);
    assert.equal(v.staking?.totalWei, '0');
    assert.equal(v.staking?.unbondingDelaySeconds, 3600);
    // Demo pair: 1,000,000 tokens against 100 ETH.
    assert.equal(v.priceEthPerToken, parseEther('0.0001').toString());
    // The demo deployment has the vault and the pool: nothing is missing.
    assert.deepEqual(v.missing, []);
    assert.equal(v.lending?.borrowedWei, '0');
  });

  await t.test('stake registers, approves and stakes; the view equals the contract to the wei', async () => {
    const preview = await service.preview({ kind: 'stake', classLabel: 'cpu', amount: '150.5' });
    assert.equal(preview.problem, null);
    assert.deepEqual(preview.steps.length, 3);
    assert.match(preview.steps[0]!, /Register/);
    assert.deepEqual(preview.changes[0], { label: 'Staked in cpu', before: '0 HRTH', after: '150.5 HRTH' });
    assert.ok(preview.risks.some((r) => /unbonding wait of 1 hour/.test(r) && /slashed/.test(r)));
    assert.ok(BigInt(preview.maxGasWei) > 0n);
    const done = await service.act({ kind: 'stake', classLabel: 'cpu', amount: '150.5' });
    assert.equal(done.txHashes.length, 3);
    const cs = (await admin.staking.getFunction('classStakes')(user.address, cpu.classId)) as bigint[];
    const cls = done.positions.staking!.classes.find((c) => c.classLabel === 'cpu')!;
    assert.equal(cls.activeWei, cs[0]!.toString());
    assert.equal(cls.activeWei, parseEther('150.5').toString());
    assert.equal(cls.lockedWei, '0');
    assert.equal(cls.minStakeWei, ((await admin.staking.getFunction('minStake')(cpu.classId)) as bigint).toString());
    assert.equal(done.positions.tokenBalanceWei, (await h.tokenOf(user.address)).toString());
    assert.equal(done.positions.staking!.registered, true);
    // Staking value in ETH at the pair's price.
    assert.equal(done.positions.staking!.valueEthWei, ((parseEther('150.5') * parseEther('0.0001')) / 10n ** 18n).toString());
  });

  await t.test('unbond, wait out the delay on chain time, withdraw', async () => {
    const before = await h.tokenOf(user.address);
    await rejectsWith(service.act({ kind: 'unbond', classLabel: 'cpu', amount: '100' }), 'below_minimum', /zero or at least 100 HRTH/);
    const preview = await service.preview({ kind: 'unbond', classLabel: 'cpu', amount: '50.5' });
    assert.equal(preview.problem, null);
    assert.deepEqual(preview.changes[1], { label: 'Unbonding in cpu', before: '0 HRTH', after: '50.5 HRTH' });
    const unbonded = await service.act({ kind: 'unbond', classLabel: 'cpu', amount: '50.5' });
    const cls = unbonded.positions.staking!.classes.find((c) => c.classLabel === 'cpu')!;
    assert.equal(cls.unbondingWei, parseEther('50.5').toString());
    const cs = (await admin.staking.getFunction('classStakes')(user.address, cpu.classId)) as bigint[];
    assert.equal(cls.releaseAt, Number(cs[5]) * 1000); // (active, locked, sweep, declared, unbonding, releaseAt)
    assert.equal(cls.unbondingWei, cs[4]!.toString());
    // Too early: refused before signing, nothing sent.
    const nonce = await h.nonceOf(user.address);
    const early = await service.preview({ kind: 'withdraw', classLabel: 'cpu' });
    assert.match(early.problem ?? '', /can be withdrawn in/);
    await rejectsWith(service.act({ kind: 'withdraw', classLabel: 'cpu' }), 'still_unbonding');
    assert.equal(await h.nonceOf(user.address), nonce);
    await h.timeTravel(3601);
    const withdrawn = await service.act({ kind: 'withdraw', classLabel: 'cpu' });
    assert.equal(await h.tokenOf(user.address), before + parseEther('50.5'));
    assert.equal(withdrawn.positions.staking!.classes.find((c) => c.classLabel === 'cpu')!.unbondingWei, '0');
    await rejectsWith(service.act({ kind: 'withdraw', classLabel: 'cpu' }), 'nothing_to_withdraw');
  });

  await t.test('rewards stream to the stake and are claimed to the wei', async () => {
    const reward = parseEther('1000');
    await ((await admin.token.getFunction('approve')(h.devnet.deployment.staking, reward)) as { wait(): Promise<unknown> }).wait();
    await ((await admin.staking.getFunction('notifyRewardAmount')(reward, 100)) as { wait(): Promise<unknown> }).wait();
    await h.timeTravel(200);
    const v = await service.get();
    const earned = (await admin.staking.getFunction('earned')(user.address)) as bigint;
    assert.equal(v.staking!.rewardsWei, earned.toString());
    assert.ok(earned > 0n);
    const before = await h.tokenOf(user.address);
    const preview = await service.preview({ kind: 'claim-rewards' });
    assert.equal(preview.problem, null);
    await service.act({ kind: 'claim-rewards' });
    // The period ended before the claim, so earned no longer grows: exactly what the view showed.
    assert.equal((await h.tokenOf(user.address)) - before, earned);
    await rejectsWith(service.act({ kind: 'claim-rewards' }), 'nothing_to_claim');
  });

  await t.test('the ledger keeps one value sample per minute and serves the history', async () => {
    const samples = service.history(1);
    assert.ok(samples.length >= 1);
    const last = samples.at(-1)!;
    const v = await service.get();
    assert.equal(last.stakingWei, v.staking!.totalWei);
    assert.ok(BigInt(last.totalTokenWei) > 0n);
    assert.throws(() => service.history(0), /1 to 365 days/);
  });
});
