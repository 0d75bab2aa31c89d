/**
 * Lending and the fee pool through the positions service on a real local chain (Anvil, the demo
 * deployment with the LendingVault and FeePool): every figure equals the contracts' views to the
 * wei, refusals happen before anything is signed, and a real settled job repays debt and pays the pool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Contract } from 'ethers';
import { Wallet, parseEther } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { PositionAction } from '../../common/ipc/groups/positions.ts';
import { settleJob, startHarness } from './testing.ts';

const WAD = 10n ** 18n;
const call = async <T = bigint>(c: Contract, method: string, ...args: unknown[]) => (await c.getFunction(method)(...args)) as T;

test('lending, borrowing to stake and the fee pool on the local chain', { timeout: 240_000 }, async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const { service, user, admin } = h;
  const vault = admin.lending!;
  const pool = admin.feePool!;
  const cpu = h.devnet.deployment.markets.find((m) => m.classLabel === 'cpu')!;
  const wait = async (p: Promise<unknown>) => (await (p as Promise<{ wait(): Promise<unknown> }>)).wait();
  /** The action is refused with `code` by preview (as its problem) and by act, and nothing is signed. */
  const refusedBeforeSigning = async (action: PositionAction, code: string, pattern: RegExp) => {
    const nonce = await h.nonceOf(user.address);
    const tokens = await h.tokenOf(user.address);
    const preview = await service.preview(action);
    assert.match(preview.problem ?? '(no problem)', pattern, `${JSON.stringify(action)}: ${preview.problem}`);
    await assert.rejects(service.act(action), (e: unknown) => {
      assert.ok(e instanceof HearthError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, pattern);
      assert.match(e.message, /Nothing was sent/);
      return true;
    });
    assert.equal(await h.nonceOf(user.address), nonce, 'nothing was signed');
    assert.equal(await h.tokenOf(user.address), tokens);
  };

  await t.test('lend: the value is the vault’s convertToAssets to the wei', async () => {
    const done = await service.act({ kind: 'lend', amount: '1000' });
    const shares = await call(vault, 'balanceOf', user.address);
    assert.equal(done.positions.lending!.shares, shares.toString());
    assert.equal(done.positions.lending!.suppliedWei, (await call(vault, 'convertToAssets', shares)).toString());
    assert.equal(done.positions.lending!.suppliedWei, parseEther('1000').toString());
    assert.equal(done.positions.lending!.healthFactor, null);
    assert.equal(done.positions.lending!.liquidationStakeWei, null);
  });

  await t.test('borrow to stake: stake grows, debt, health and liquidation level are the vault’s', async () => {
    await refusedBeforeSigning({ kind: 'borrow-to-stake', classLabel: 'cpu', amount: '300' }, 'not_registered', /Register as a provider/);
    await service.act({ kind: 'stake', classLabel: 'cpu', amount: '100' });
    await refusedBeforeSigning(
      { kind: 'borrow-to-stake', classLabel: 'cpu', amount: '450' },
      'borrow_limit',
      /at most 399\.99\d* HRTH now: the debt may be at most 80 % of the stake after borrowing\. Borrowing 450 HRTH would make it 450 HRTH against 550 HRTH of stake \(81\.81 %; the limit is 440 HRTH\), a health factor of 1\.10 after/,
    );
    const preview = await service.preview({ kind: 'borrow-to-stake', classLabel: 'cpu', amount: '300' });
    assert.equal(preview.problem, null);
    // (100 + 300) × 90 % ÷ 300 = 1.2; liquidation below 300 ÷ 0.9 = 333.33… (rounded up).
    assert.deepEqual(preview.changes[2], { label: 'Health factor', before: 'no debt', after: '1.20' });
    assert.deepEqual(preview.changes[3], { label: 'Liquidation below a stake of', before: '0 HRTH', after: '333.3333 HRTH' });
    assert.ok(
      preview.risks.some((r) => /liquidated when the health factor falls below 1 — when the stake drops below 333\.3333 HRTH/.test(r)),
    );
    const done = await service.act({ kind: 'borrow-to-stake', classLabel: 'cpu', amount: '300' });
    const cs = await call<bigint[]>(admin.staking, 'classStakes', user.address, cpu.classId);
    assert.equal(cs[0], parseEther('400'));
    const l = done.positions.lending!;
    assert.equal(done.positions.staking!.classes.find((c) => c.classLabel === 'cpu')!.activeWei, cs[0].toString());
    assert.equal(l.borrowedWei, (await call(vault, 'debtOf', user.address)).toString());
    assert.equal(l.borrowedWei, parseEther('300').toString());
    const hf = await call(vault, 'healthFactor', user.address);
    assert.equal(hf, (parseEther('400') * 9_000n * WAD) / (parseEther('300') * 10_000n));
    assert.equal(l.healthFactor, Number(hf) / 1e18);
    assert.equal(l.liquidationStakeWei, (await call(vault, 'liquidationCollateral', user.address)).toString());
    assert.equal(l.borrowableWei, (await call(vault, 'maxBorrow', user.address)).toString());
    // The preview named the rate this borrow brings, not the one before it: the vault's rate now.
    const aprAfter = ((Number(await call(vault, 'borrowRate')) * 365 * 86_400) / 1e18) * 100;
    const said = preview.risks.map((r) => /Interest accrues at ([\d.]+) % a year once this is borrowed \(now 0\.00 %\)/.exec(r)).find(Boolean);
    assert.ok(said, preview.risks.join('\n'));
    assert.ok(aprAfter > 0);
    assert.equal(said[1], aprAfter.toFixed(2));
  });

  await t.test('unbonding that would take health under 1 is refused before the contract’s Unhealthy', async () => {
    // 400 staked against 300 owed: the stake must stay ≥ 333.33…, so unbonding 100 would leave 0.9.
    await refusedBeforeSigning(
      { kind: 'unbond', classLabel: 'cpu', amount: '100' },
      'unhealthy',
      /would leave 300 HRTH of stake behind a debt of 300 HRTH: a health factor of 0\.90, under 1 .*Unbond at most 66\.6666 HRTH/,
    );
    // The contract would refuse it too: the preview caught what the chain enforces.
    const data = admin.staking.interface.encodeFunctionData('requestUnbond', [cpu.classId, parseEther('100')]);
    await assert.rejects(h.provider.estimateGas({ from: user.address, to: h.devnet.deployment.staking, data }));
  });

  await t.test('above the vault’s cash: redeem and borrow refused with the available amount', async () => {
    // The deployer takes its seed out: only the user's 1000 less the 300 lent stays as cash.
    const adminAddress = new Wallet(h.devnet.accounts[0]!.privateKey).address;
    // (Withdraw an exact amount: a redeem of maxRedeem read a block earlier can overshoot once interest accrues.)
    const cashBefore = await h.tokenOf(h.devnet.deployment.lending!);
    await wait(vault.getFunction('withdraw')(cashBefore - parseEther('700'), adminAddress, adminAddress));
    assert.equal(await h.tokenOf(h.devnet.deployment.lending!), parseEther('700'));
    await refusedBeforeSigning(
      { kind: 'redeem-lend', amount: 'all' },
      'insufficient_liquidity',
      /The vault holds 700 HRTH not lent out, so this account can take out at most 700 HRTH now/,
    );
    await refusedBeforeSigning(
      { kind: 'redeem-lend', amount: '800' },
      'insufficient_liquidity',
      /at most 700 HRTH now, less than the 800 HRTH asked for/,
    );
    await refusedBeforeSigning(
      { kind: 'borrow-to-stake', classLabel: 'cpu', amount: '800' },
      'insufficient_liquidity',
      /The vault holds 700 HRTH not lent out, less than the 800 HRTH to borrow/,
    );
  });

  let poolShares = 0n;
  await t.test('fee pool: deposit, value is convertToAssets', async () => {
    const done = await service.act({ kind: 'pool-deposit', amount: '500' });
    poolShares = await call(pool, 'balanceOf', user.address);
    assert.equal(done.positions.feePool!.shares, poolShares.toString());
    assert.equal(done.positions.feePool!.valueWei, (await call(pool, 'convertToAssets', poolShares)).toString());
    assert.equal(done.positions.feePool!.apy, null);
    assert.match(done.positions.feePool!.apyBasis, /Not enough history yet/);
  });

  await t.test('auto-repay: a real settled job repays the debt by the AutoRepaid amount; its fee raises the pool', async () => {
    const set = await service.act({ kind: 'set-auto-repay', bps: 5_000 });
    assert.equal(set.positions.lending!.autoRepayBps, 5_000);
    assert.equal(await call(vault, 'autoRepayBps', user.address), 5_000n);
    const poolAssets = await call(pool, 'totalAssets');
    const poolSupply = await call(pool, 'totalSupply');
    const walletBefore = await h.tokenOf(user.address);
    const job = await settleJob(h, 'cpu', 1_000);
    assert.ok(job.fee > 0n);
    assert.equal(job.repaid, (job.net * 5_000n) / 10_000n);
    assert.equal((await h.tokenOf(user.address)) - walletBefore, job.net - job.repaid);
    const v = await service.get();
    assert.equal(v.lending!.borrowedWei, job.debtLeft!.toString(), 'the debt the vault booked after the repayment');
    assert.equal(v.lending!.borrowedWei, (await call(vault, 'debtOf', user.address)).toString());
    // The fee arrived as a plain transfer: every share is worth more, to the wei of ERC-4626's formula.
    assert.equal(await call(pool, 'totalAssets'), poolAssets + job.fee);
    const expected = (poolShares * (poolAssets + job.fee + 1n)) / (poolSupply + 10n ** 6n);
    assert.equal(v.feePool!.valueWei, expected.toString());
    assert.ok(expected > parseEther('500'));
    assert.equal(v.feePool!.feesInWindowWei, job.fee.toString());
  });

  await t.test('fee pool APY once there is an hour of history, and its basis in words', async () => {
    await h.timeTravel(3_600);
    const v = (await service.get()).feePool!;
    assert.ok(v.windowSeconds >= 3_600);
    const expected = (Number(BigInt(v.feesInWindowWei)) / Number(BigInt(v.totalAssetsWei))) * ((365 * 86_400) / v.windowSeconds);
    assert.ok(v.apy !== null && Math.abs(v.apy - expected) < 1e-9, `apy ${v.apy} vs ${expected}`);
    assert.match(v.apyBasis, /of market fees over the last 1\.0 h, divided by the pool's .* HRTH and scaled to a year/);
  });

  await t.test('repay part, then all: the debt is 0 and the wallet paid exactly what the vault took', async () => {
    const before = BigInt((await service.get()).lending!.borrowedWei);
    await refusedBeforeSigning(
      { kind: 'repay', amount: '1000' },
      'bad_amount',
      /The debt is .* less than the 1,000 HRTH to repay; use "all"/,
    );
    await service.act({ kind: 'repay', amount: '100' });
    const mid = await call(vault, 'debtOf', user.address);
    assert.ok(mid < before - parseEther('100') + parseEther('1'), `${mid} after repaying 100 of ${before}`);
    const preview = await service.preview({ kind: 'repay', amount: 'all' });
    assert.equal(preview.problem, null);
    assert.ok(preview.risks.some((r) => /takes the debt as it stands when the repayment lands/.test(r)));
    const wallet = await h.tokenOf(user.address);
    const done = await service.act({ kind: 'repay', amount: 'all' });
    const receipt = await h.provider.getTransactionReceipt(done.txHashes.at(-1)!);
    const repaid = receipt!.logs.map((l) => vault.interface.parseLog(l)).find((e) => e?.name === 'Repaid')!;
    assert.equal(repaid.args[3], 0n);
    assert.equal(wallet - (await h.tokenOf(user.address)), repaid.args[2] as bigint);
    assert.equal(await call(vault, 'debtOf', user.address), 0n);
    assert.equal(done.positions.lending!.borrowedWei, '0');
    assert.equal(done.positions.lending!.healthFactor, null);
    assert.equal(done.positions.lending!.liquidationStakeWei, null);
    await refusedBeforeSigning({ kind: 'repay', amount: 'all' }, 'nothing_to_repay', /owes the vault nothing/);
  });

  await t.test('hostile amounts for lend, redeem, borrow, repay and the pool: refused, nothing sent', async () => {
    const nonce = await h.nonceOf(user.address);
    const kinds = ['lend', 'redeem-lend', 'repay', 'pool-deposit', 'pool-redeem'] as const;
    for (const kind of kinds) {
      for (const [amount, pattern] of [
        ['', /Enter an amount/],
        ['0', /more than zero/],
        ['-1', /negative/],
        ['1.0000000000000000001', /at most 18 decimals/],
        ['1e3', /not a number/],
      ] as const) {
        for (const call of [() => service.preview({ kind, amount }), () => service.act({ kind, amount })]) {
          await assert.rejects(call(), (e: unknown) => e instanceof HearthError && e.code === 'bad_amount' && pattern.test(e.message));
        }
      }
    }
    for (const amount of ['0', '-3', '0.0000000000000000001', 'all']) {
      await assert.rejects(
        service.act({ kind: 'borrow-to-stake', classLabel: 'cpu', amount }),
        (e: unknown) => e instanceof HearthError && e.code === 'bad_amount',
      );
    }
    await assert.rejects(
      service.act({ kind: 'borrow-to-stake', classLabel: 'nope', amount: '1' }),
      (e: unknown) => e instanceof HearthError && e.code === 'unknown_class',
    );
    const balance = await h.tokenOf(user.address);
    await refusedBeforeSigning({ kind: 'lend', amount: '1000000' }, 'insufficient_balance', /less than the 1,000,000 HRTH to lend/);
    await refusedBeforeSigning(
      { kind: 'pool-deposit', amount: '1000000' },
      'insufficient_balance',
      /less than the 1,000,000 HRTH to deposit/,
    );
    await refusedBeforeSigning(
      { kind: 'redeem-lend', amount: '5000' },
      'insufficient_balance',
      /is lent, less than the 5,000 HRTH asked for/,
    );
    await refusedBeforeSigning({ kind: 'pool-redeem', amount: '5000' }, 'insufficient_balance', /less than the 5,000 HRTH asked for/);
    await refusedBeforeSigning({ kind: 'repay', amount: '1' }, 'nothing_to_repay', /owes the vault nothing/);
    for (const bps of [-1, 10_001, 0.5]) {
      await assert.rejects(
        service.act({ kind: 'set-auto-repay', bps }),
        (e: unknown) => e instanceof HearthError && e.code === 'bad_amount' && /basis points/.test(e.message),
      );
    }
    assert.equal(await h.nonceOf(user.address), nonce);
    assert.equal(await h.tokenOf(user.address), balance);
  });

  await t.test('pool-redeem and redeem-lend of everything pay out the value shown', async () => {
    const v = await service.get();
    const wallet = await h.tokenOf(user.address);
    await service.act({ kind: 'pool-redeem', amount: 'all' });
    const afterPool = await h.tokenOf(user.address);
    assert.equal(afterPool - wallet, BigInt(v.feePool!.valueWei));
    assert.equal(await call(pool, 'balanceOf', user.address), 0n);
    const lent = (await service.get()).lending!;
    await service.act({ kind: 'redeem-lend', amount: 'all' });
    assert.equal((await h.tokenOf(user.address)) - afterPool, BigInt(lent.suppliedWei));
  });
});
