/** The token/ETH pair through the positions service on a real local chain: add, swap both ways, remove, slippage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Contract, parseEther } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import { uniswapPairAbi } from '../../common/contracts/uniswap.ts';
import { amountOut } from './liquidity.ts';
import { startHarness } from './testing.ts';

const rejectsWith = async (p: Promise<unknown>, code: string, pattern?: RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof HearthError, `a HearthError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });

test('liquidity and swaps on the local chain', { timeout: 180_000 }, async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const { service, user } = h;
  const u = h.devnet.deployment.uniswap!;
  const pair = new Contract(u.pair, uniswapPairAbi, h.provider);
  const tokenIs0 = ((await pair.getFunction('token0')()) as string).toLowerCase() === h.devnet.deployment.token.toLowerCase();
  const reserves = async () => {
    const [r0, r1] = (await pair.getFunction('getReserves')()) as [bigint, bigint];
    return tokenIs0 ? { token: r0, eth: r1 } : { token: r1, eth: r0 };
  };
  const lpOf = async (who: string) => (await pair.getFunction('balanceOf')(who)) as bigint;

  await t.test('add liquidity matches ETH at the pair price and records the first deposit', async () => {
    const r = await reserves();
    const preview = await service.preview({ kind: 'add-liquidity', amount: '1000', slippageBps: 50 });
    assert.equal(preview.problem, null);
    assert.equal(preview.steps.length, 2, 'approve, then add');
    assert.match(preview.minimumReceived ?? '', /at least 995 HRTH and 0\.0995 ETH/);
    assert.ok(preview.risks.some((x) => /Impermanent loss/.test(x)));
    const ethBefore = await h.provider.getBalance(user.address);
    const done = await service.act({ kind: 'add-liquidity', amount: '1000', slippageBps: 50 });
    assert.equal(done.txHashes.length, 2);
    const after = await reserves();
    assert.equal(after.token - r.token, parseEther('1000'));
    assert.equal(after.eth - r.eth, (parseEther('1000') * r.eth) / r.token);
    assert.ok(ethBefore - (await h.provider.getBalance(user.address)) >= parseEther('0.1'));
    const lp = done.positions.liquidity!;
    assert.equal(lp.lpBalance, (await lpOf(user.address)).toString());
    assert.equal(lp.lpTotalSupply, ((await pair.getFunction('totalSupply')()) as bigint).toString());
    assert.equal(lp.reserveTokenWei, after.token.toString());
    assert.equal(lp.reserveEthWei, after.eth.toString());
    assert.equal(lp.tokenWei, ((BigInt(lp.lpBalance) * after.token) / BigInt(lp.lpTotalSupply)).toString());
    assert.equal(lp.feesEthWei, '0');
    assert.equal(
      lp.holdValueEthWei,
      (parseEther('0.1') + (parseEther('1000') * BigInt(done.positions.priceEthPerToken!)) / 10n ** 18n).toString(),
    );
    const deposit = h.ledger.lpDeposit({ chainId: h.devnet.chainId, address: user.address, pair: u.pair });
    assert.equal(deposit?.tokenWei, parseEther('1000').toString());
  });

  await t.test('swap tokens for ETH and back at the router’s exact quote', async () => {
    let r = await reserves();
    const ethBefore = await h.provider.getBalance(user.address);
    const expected = amountOut(parseEther('500'), r.token, r.eth);
    const preview = await service.preview({ kind: 'swap', direction: 'token-to-eth', amount: '500', slippageBps: 100 });
    assert.equal(preview.problem, null);
    assert.ok(preview.risks.some((x) => /Price impact/.test(x)));
    const sold = await service.act({ kind: 'swap', direction: 'token-to-eth', amount: '500', slippageBps: 100 });
    const receipt = await h.provider.getTransactionReceipt(sold.txHashes.at(-1)!);
    const gas = receipt!.gasUsed * receipt!.gasPrice;
    const approveReceipt = sold.txHashes.length > 1 ? await h.provider.getTransactionReceipt(sold.txHashes[0]!) : null;
    const approveGas = approveReceipt ? approveReceipt.gasUsed * approveReceipt.gasPrice : 0n;
    assert.equal((await h.provider.getBalance(user.address)) - ethBefore + gas + approveGas, expected);

    r = await reserves();
    const tokensBefore = await h.tokenOf(user.address);
    const buy = amountOut(parseEther('0.05'), r.eth, r.token);
    const bought = await service.act({ kind: 'swap', direction: 'eth-to-token', amount: '0.05', slippageBps: 100 });
    assert.equal(bought.txHashes.length, 1, 'no approval to spend ETH');
    assert.equal((await h.tokenOf(user.address)) - tokensBefore, buy);
  });

  await t.test('trading fees show as fees earned by the LP position', async () => {
    const v = await service.get();
    assert.ok(BigInt(v.liquidity!.feesEthWei!) > 0n, `fees ${v.liquidity!.feesEthWei}`);
  });

  await t.test('a price moved between preview and act is refused as slippage, nothing sent', async () => {
    const preview = await service.preview({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 0 });
    assert.equal(preview.problem, null);
    // Someone else sells first: the same tokens now buy less ETH.
    const deadline = BigInt((await h.provider.getBlock('latest'))!.timestamp) + 600n;
    const trader = await h.trader.signer.getAddress();
    await ((await h.admin.token.getFunction('transfer')(trader, parseEther('10000'))) as { wait(): Promise<unknown> }).wait();
    const token = h.admin.token.connect(h.trader.signer) as Contract;
    await ((await token.getFunction('approve')(u.router, parseEther('10000'))) as { wait(): Promise<unknown> }).wait();
    await (
      (await h.trader.router.getFunction('swapExactTokensForETH')(
        parseEther('10000'),
        0,
        [h.devnet.deployment.token, u.weth],
        trader,
        deadline,
      )) as { wait(): Promise<unknown> }
    ).wait();
    const nonce = await h.nonceOf(user.address);
    const tokens = await h.tokenOf(user.address);
    await rejectsWith(
      service.act({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 0 }),
      'slippage',
      /price moved.*below the .* accepted/,
    );
    assert.equal(await h.nonceOf(user.address), nonce, 'nothing signed');
    assert.equal(await h.tokenOf(user.address), tokens);
    // A fresh preview quotes the new price and goes through.
    await service.preview({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 0 });
    await service.act({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 0 });
  });

  await t.test('a price moved after the last check makes the router refuse: a slippage error with the numbers', async () => {
    const trader = await h.trader.signer.getAddress();
    const token = h.admin.token.connect(h.trader.signer) as Contract;
    await ((await h.admin.token.getFunction('transfer')(trader, parseEther('20000'))) as { wait(): Promise<unknown> }).wait();
    await ((await token.getFunction('approve')(u.router, parseEther('20000'))) as { wait(): Promise<unknown> }).wait();
    // The trader's swap lands between the service's own re-check and its transaction: exactly when a real front-runner would.
    let moved = false;
    const racing = Object.create(h.txs) as typeof h.txs;
    racing.send = async (request, signer) => {
      if (!moved && request.to.toLowerCase() === u.router.toLowerCase()) {
        moved = true;
        const deadline = BigInt((await h.provider.getBlock('latest'))!.timestamp) + 600n;
        await (
          (await h.trader.router.getFunction('swapExactTokensForETH')(
            parseEther('20000'),
            0,
            [h.devnet.deployment.token, u.weth],
            trader,
            deadline,
          )) as { wait(): Promise<unknown> }
        ).wait();
      }
      return h.txs.send(request, signer);
    };
    const racer = h.serviceWith({ txs: () => racing });
    const nonce = await h.nonceOf(user.address);
    const tokens = await h.tokenOf(user.address);
    await rejectsWith(
      racer.act({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 10 }),
      'slippage',
      /router refused the trade\. It was quoted [\d.]+ ETH; the floor was [\d.]+/,
    );
    assert.ok(moved);
    assert.equal(await h.tokenOf(user.address), tokens, 'no tokens left the wallet');
    assert.ok((await h.nonceOf(user.address)) <= nonce + 1, 'at most the approval was sent');
  });

  await t.test('remove half then all of the liquidity', async () => {
    const lp = await lpOf(user.address);
    const r = await reserves();
    const supply = (await pair.getFunction('totalSupply')()) as bigint;
    const tokensBefore = await h.tokenOf(user.address);
    const preview = await service.preview({ kind: 'remove-liquidity', percent: 50, slippageBps: 50 });
    assert.equal(preview.problem, null);
    await service.act({ kind: 'remove-liquidity', percent: 50, slippageBps: 50 });
    assert.equal(await lpOf(user.address), lp - lp / 2n);
    assert.equal((await h.tokenOf(user.address)) - tokensBefore, ((lp / 2n) * r.token) / supply);
    const all = await service.act({ kind: 'remove-liquidity', percent: 100, slippageBps: 50 });
    assert.equal(all.positions.liquidity!.lpBalance, '0');
    assert.equal(await lpOf(user.address), 0n);
    assert.equal(
      h.ledger.lpDeposit({ chainId: h.devnet.chainId, address: user.address, pair: u.pair }),
      undefined,
      'the baseline is forgotten',
    );
    await rejectsWith(service.act({ kind: 'remove-liquidity', percent: 10, slippageBps: 50 }), 'insufficient_balance');
  });
});
