/**
 * Hostile and mistaken input for every action: each is a clear HearthError with a code, refused
 * before anything is signed, and no balance changes. Lending and fee-pool refusals on the
 * deployed vault and pool (above the cash, above the debt, beyond the borrow limit) are in lending.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../common/errors.ts';
import type { PositionAction } from '../../common/ipc/groups/positions.ts';
import { startHarness } from './testing.ts';

test('every action refuses bad input before signing', { timeout: 180_000 }, async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const { service, user } = h;
  const snapshot = async () => ({
    nonce: await h.nonceOf(user.address),
    tokens: await h.tokenOf(user.address),
    eth: await h.provider.getBalance(user.address),
  });
  const start = await snapshot();
  const refused = async (action: unknown, code: string, pattern?: RegExp) => {
    for (const call of [() => service.preview(action as PositionAction), () => service.act(action as PositionAction)]) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof HearthError, `${JSON.stringify(action)}: a HearthError, got ${String(e)}`);
        assert.equal(e.code, code, `${JSON.stringify(action)}: ${e.message}`);
        if (pattern) assert.match(e.message, pattern);
        assert.ok(e.message.length > 15);
        return true;
      });
    }
  };
  /** Refused by act; the preview answers with the problem instead. */
  const problem = async (action: PositionAction, code: string, pattern: RegExp) => {
    const preview = await service.preview(action);
    assert.match(preview.problem ?? '(none)', pattern);
    await assert.rejects(service.act(action), (e: unknown) => e instanceof HearthError && e.code === code && pattern.test(e.message));
  };

  const amountKinds: PositionAction[] = [
    { kind: 'stake', classLabel: 'cpu', amount: '' },
    { kind: 'unbond', classLabel: 'cpu', amount: '' },
    { kind: 'add-liquidity', amount: '', slippageBps: 50 },
    { kind: 'swap', direction: 'token-to-eth', amount: '', slippageBps: 50 },
    { kind: 'swap', direction: 'eth-to-token', amount: '', slippageBps: 50 },
  ];
  await t.test('empty, non-numbers, negatives, zero and over-precise amounts', async () => {
    for (const base of amountKinds) {
      await refused({ ...base, amount: '' }, 'bad_amount', /Enter an amount/);
      await refused({ ...base, amount: '   ' }, 'bad_amount', /Enter an amount/);
      await refused({ ...base, amount: 'ten' }, 'bad_amount', /not a number/);
      await refused({ ...base, amount: '1e3' }, 'bad_amount', /not a number/);
      await refused({ ...base, amount: '0x10' }, 'bad_amount', /not a number/);
      await refused({ ...base, amount: '1.2.3' }, 'bad_amount', /not a number/);
      await refused({ ...base, amount: '-5' }, 'bad_amount', /negative/);
      await refused({ ...base, amount: '0' }, 'bad_amount', /more than zero/);
      await refused({ ...base, amount: '0.000' }, 'bad_amount', /more than zero/);
      await refused({ ...base, amount: '1.0000000000000000001' }, 'bad_amount', /at most 18 decimals/);
    }
    // "all" only where it means something.
    await refused({ kind: 'stake', classLabel: 'cpu', amount: 'all' }, 'bad_amount', /not a number/);
  });

  await t.test('above the balance, the stake, or the pool position', async () => {
    await problem(
      { kind: 'stake', classLabel: 'cpu', amount: '100001' },
      'insufficient_balance',
      /holds 100,000 HRTH, less than the 100,001 HRTH/,
    );
    await problem({ kind: 'unbond', classLabel: 'cpu', amount: '1' }, 'insufficient_stake', /Only 0 HRTH is staked in cpu/);
    await problem({ kind: 'withdraw', classLabel: 'cpu' }, 'nothing_to_withdraw', /Nothing is unbonding/);
    await problem({ kind: 'claim-rewards' }, 'nothing_to_claim', /no staking rewards/);
    await problem(
      { kind: 'add-liquidity', amount: '100001', slippageBps: 50 },
      'insufficient_balance',
      /less than the 100,001 HRTH to add/,
    );
    // 100,000 tokens need 10 ETH beside them: fine; 10,000 ETH worth of tokens is not.
    await problem(
      { kind: 'swap', direction: 'eth-to-token', amount: '1000000', slippageBps: 50 },
      'insufficient_balance',
      /less than the 1,000,000 ETH to swap/,
    );
    await problem(
      { kind: 'swap', direction: 'token-to-eth', amount: '200000', slippageBps: 50 },
      'insufficient_balance',
      /less than the 200,000 HRTH/,
    );
    await problem({ kind: 'remove-liquidity', percent: 50, slippageBps: 50 }, 'insufficient_balance', /no liquidity in the pool/);
    await problem({ kind: 'stake', classLabel: 'cpu', amount: '5' }, 'below_minimum', /at least 100 HRTH/);
  });

  await t.test('unknown class, percent and slippage out of range, wrong kinds', async () => {
    await refused(
      { kind: 'stake', classLabel: 'gpu-999gb', amount: '100' },
      'unknown_class',
      /no market for "gpu-999gb".*gpu-8gb, gpu-24gb, cpu/,
    );
    await refused({ kind: 'unbond', classLabel: '__proto__', amount: '1' }, 'unknown_class');
    await refused({ kind: 'withdraw', classLabel: 'nope' }, 'unknown_class');
    for (const percent of [0, -1, 100.5, 1000, Number.NaN, Number.POSITIVE_INFINITY]) {
      await refused({ kind: 'remove-liquidity', percent, slippageBps: 50 }, 'bad_amount', /between 0.01 and 100 percent/);
    }
    for (const slippageBps of [-1, 5001, 0.5]) {
      await refused({ kind: 'swap', direction: 'token-to-eth', amount: '1', slippageBps }, 'bad_amount', /basis points/);
    }
    await refused({ kind: 'swap', direction: 'sideways', amount: '1', slippageBps: 50 }, 'bad_amount', /token-to-eth or eth-to-token/);
    await refused({ kind: 'teleport' }, 'bad_action');
    await refused(null, 'bad_action');
  });

  await t.test('a locked wallet is refused before signing', async () => {
    h.setLocked(true);
    try {
      await assert.rejects(
        service.act({ kind: 'stake', classLabel: 'cpu', amount: '100' }),
        (e: unknown) => e instanceof HearthError && e.code === 'wallet_locked',
      );
      // Previews still work while locked: they sign nothing.
      assert.equal((await service.preview({ kind: 'stake', classLabel: 'cpu', amount: '100' })).problem, null);
    } finally {
      h.setLocked(false);
    }
  });

  await t.test('no account, no network, no addresses file: said in the view and refused for actions', async () => {
    const noAccount = h.serviceWith({ account: () => ({ missing: 'The wallet has no selected account.' }) });
    assert.deepEqual((await noAccount.get()).missing, [{ kind: 'all', reason: 'The wallet has no selected account.' }]);
    await assert.rejects(noAccount.act({ kind: 'claim-rewards' }), (e: unknown) => e instanceof HearthError && e.code === 'no_wallet');
    const down = h.serviceWith({ network: () => undefined, networkProblem: () => 'The local chain is starting.' });
    assert.deepEqual((await down.get()).missing, [{ kind: 'all', reason: 'The local chain is starting.' }]);
    await assert.rejects(
      down.preview({ kind: 'claim-rewards' }),
      (e: unknown) => e instanceof HearthError && e.code === 'network_unavailable',
    );
    const noFile = h.serviceWith({ deployment: () => undefined });
    assert.match((await noFile.get()).missing[0]!.reason, /no Hearth addresses file/);
    await assert.rejects(noFile.act({ kind: 'claim-rewards' }), (e: unknown) => e instanceof HearthError && e.code === 'no_contract');
    // An addresses file without the vault and the pool (an older deployment): a clear no_contract, not a crash.
    const noEarn = h.serviceWith({ deployment: () => ({ ...h.devnet.deployment, lending: null, feePool: null }) });
    for (const [action, pattern] of [
      [{ kind: 'lend', amount: '1' }, /no lending vault/],
      [{ kind: 'pool-deposit', amount: '1' }, /no fee pool/],
    ] as const) {
      await assert.rejects(
        noEarn.act(action),
        (e: unknown) => e instanceof HearthError && e.code === 'no_contract' && pattern.test(e.message),
      );
    }
    assert.deepEqual((await noEarn.get()).missing.map((m) => m.kind).sort(), ['feePool', 'lending']);
    // An addresses file pointing the pair at a contract that is not a pair.
    const wrong = h.serviceWith({
      deployment: () => ({ ...h.devnet.deployment, uniswap: { ...h.devnet.deployment.uniswap!, pair: h.devnet.deployment.staking } }),
    });
    const v = await wrong.get();
    assert.equal(v.liquidity, null);
    assert.match(v.missing.find((m) => m.kind === 'liquidity')!.reason, /addresses file/);
    await assert.rejects(
      wrong.preview({ kind: 'swap', direction: 'token-to-eth', amount: '1', slippageBps: 50 }),
      (e: unknown) => e instanceof HearthError && e.code === 'bad_chain_data',
    );
  });

  await t.test('nothing was signed and no balance moved', async () => {
    assert.deepEqual(await snapshot(), start);
  });
});
