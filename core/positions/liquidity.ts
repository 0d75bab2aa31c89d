/**
 * The token/ETH pair on Uniswap V2: the account's LP share, the price, and the add / remove /
 * swap actions through Router02 with slippage floors and a deadline a few minutes ahead.
 */
import { HearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { LiquidityPosition } from '../../common/ipc/groups/positions.ts';
import { uniswapPairAbi, uniswapRouterAbi } from '../../common/contracts/uniswap.ts';
import type { LpDepositRow } from '../ledger/types.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { WAD, checkSlippage, formatUnits, lessBps, parseAmount, sqrt } from './amounts.ts';
import { address, iface, uint, view } from './calls.ts';
import { approvalIfShort, refuse, tokenText, type Change, type Plan, type PlanContext } from './plan.ts';

export const pairIface = iface(uniswapPairAbi);
export const routerIface = iface(uniswapRouterAbi);
const U112 = 2n ** 112n;
/** Router deadlines: long enough for a slow block, short enough that a stuck tx cannot fill at a stale price much later. */
export const DEADLINE_SECONDS = 300;

export interface PairRaw {
  pair: string;
  router: string;
  weth: string;
  reserveToken: bigint;
  reserveEth: bigint;
  totalSupply: bigint;
  lpBalance: bigint;
}

export async function readPair(rpc: RpcClient, d: Deployment, who: string): Promise<PairRaw> {
  const u = d.uniswap;
  if (!u) throw new HearthError('no_contract', 'The addresses file has no Uniswap pair for the token.');
  const [t0, t1, reserves, supply, balance] = await Promise.all([
    view(rpc, pairIface, u.pair, 'token0'),
    view(rpc, pairIface, u.pair, 'token1'),
    view(rpc, pairIface, u.pair, 'getReserves'),
    view(rpc, pairIface, u.pair, 'totalSupply'),
    view(rpc, pairIface, u.pair, 'balanceOf', [who]),
  ]);
  const token0 = address(t0, 'pair token0').toLowerCase();
  const token1 = address(t1, 'pair token1').toLowerCase();
  const token = d.token.toLowerCase();
  const weth = u.weth.toLowerCase();
  if (!((token0 === token && token1 === weth) || (token0 === weth && token1 === token))) {
    throw new HearthError('bad_chain_data', `The pair at ${u.pair} does not trade the token against the addresses file's WETH.`);
  }
  const r0 = uint(reserves, 'reserve0', U112, 0);
  const r1 = uint(reserves, 'reserve1', U112, 1);
  const totalSupply = uint(supply, 'LP supply');
  const lpBalance = uint(balance, 'LP balance');
  if (lpBalance > totalSupply) throw new HearthError('bad_chain_data', 'The pair reports an LP balance above its total supply.');
  return {
    pair: u.pair,
    router: u.router,
    weth: u.weth,
    reserveToken: token0 === token ? r0 : r1,
    reserveEth: token0 === token ? r1 : r0,
    totalSupply,
    lpBalance,
  };
}

/** ETH wei per whole token at the pair's reserves; null for an empty pair. */
export function priceOf(p: PairRaw): bigint | null {
  return p.reserveToken === 0n ? null : (p.reserveEth * WAD) / p.reserveToken;
}

/** sqrt(k) per LP token, 1e18-fixed: grows only with fees (and donations), the baseline of "fees earned". */
export function rootKPerLp(p: PairRaw): bigint {
  return p.totalSupply === 0n ? 0n : (sqrt(p.reserveToken * p.reserveEth) * WAD) / p.totalSupply;
}

/** UniswapV2Library.getAmountOut: 0.3 % fee, rounded down, exactly as the router computes it. */
export function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (reserveIn === 0n || reserveOut === 0n) return 0n;
  const withFee = amountIn * 997n;
  return (withFee * reserveOut) / (reserveIn * 1000n + withFee);
}

export function liquidityView(p: PairRaw, deposit: LpDepositRow | undefined): LiquidityPosition {
  const share = p.totalSupply === 0n ? 0 : Number((p.lpBalance * 10n ** 12n) / p.totalSupply) / 1e12;
  const tokenWei = p.totalSupply === 0n ? 0n : (p.lpBalance * p.reserveToken) / p.totalSupply;
  const ethWei = p.totalSupply === 0n ? 0n : (p.lpBalance * p.reserveEth) / p.totalSupply;
  const price = priceOf(p);
  const valueEthWei = ethWei + (price === null ? 0n : (tokenWei * price) / WAD);
  let feesEthWei: bigint | null = null;
  let holdValueEthWei: bigint | null = null;
  if (deposit && p.lpBalance > 0n) {
    // The part of today's value that came from sqrt(k) per LP growing since the deposit: fees.
    const now = rootKPerLp(p);
    const then = BigInt(deposit.rootKPerLp);
    feesEthWei = now > then && now > 0n ? (valueEthWei * (now - then)) / now : 0n;
    holdValueEthWei = BigInt(deposit.ethWei) + (price === null ? 0n : (BigInt(deposit.tokenWei) * price) / WAD);
  }
  return {
    pair: p.pair,
    router: p.router,
    lpBalance: p.lpBalance.toString(),
    lpTotalSupply: p.totalSupply.toString(),
    share: Math.min(1, Math.max(0, share)),
    tokenWei: tokenWei.toString(),
    ethWei: ethWei.toString(),
    reserveTokenWei: p.reserveToken.toString(),
    reserveEthWei: p.reserveEth.toString(),
    feesEthWei: feesEthWei?.toString() ?? null,
    valueEthWei: valueEthWei.toString(),
    holdValueEthWei: holdValueEthWei?.toString() ?? null,
  };
}

const ilRisk =
  'Impermanent loss: the pool keeps half the value in each asset, so when the token price moves either way you end up with more of the cheaper one and less than had you held; trading fees (0.3 %) offset some of it.';

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.001 ? 4 : 2)} %`;
}

function shareText(lp: bigint, supply: bigint): string {
  return supply === 0n ? '0 %' : pct(Number((lp * 10n ** 12n) / supply) / 1e12);
}

export async function planAddLiquidity(ctx: PlanContext, p: PairRaw, input: { amount: string; slippageBps: number }): Promise<Plan> {
  const bps = checkSlippage(input.slippageBps);
  const amount = parseAmount(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const nat = ctx.nativeSymbol;
  if (p.reserveToken === 0n || p.reserveEth === 0n)
    throw new HearthError('no_liquidity', 'The pair has no reserves yet, so there is no price to match.');
  // UniswapV2Library.quote: the router takes exactly this much ETH for `amount` tokens now.
  const ethWei = (amount * p.reserveEth) / p.reserveToken;
  const floors = ctx.floors ?? [lessBps(amount, bps), lessBps(ethWei, bps)];
  const [tokenMin, ethMin] = floors as [bigint, bigint];
  const minted = p.totalSupply === 0n ? 0n : (amount * p.totalSupply) / p.reserveToken;
  let problem = null;
  if (ethWei === 0n) problem = refuse('bad_amount', `${tokenText(amount, sym)} is too little to match with any ${nat} at this price.`);
  else if (amount > ctx.tokenBalance)
    problem = refuse(
      'insufficient_balance',
      `The wallet holds ${tokenText(ctx.tokenBalance, sym)}, less than the ${tokenText(amount, sym)} to add.`,
    );
  else if (ethWei > ctx.nativeBalance)
    problem = refuse(
      'insufficient_balance',
      `Adding ${tokenText(amount, sym)} needs ${tokenText(ethWei, nat)} beside it; the wallet holds ${tokenText(ctx.nativeBalance, nat)}.`,
    );
  else if (ethWei < ethMin || amount < tokenMin)
    problem = refuse(
      'slippage',
      `The price moved since the preview: ${tokenText(amount, sym)} now matches ${tokenText(ethWei, nat)}, outside the ${bps / 100} % accepted (at least ${tokenText(tokenMin, sym)} and ${tokenText(ethMin, nat)}). Preview again.`,
    );
  const deadline = BigInt(ctx.chainTime + DEADLINE_SECONDS);
  const changes: Change[] = [
    { label: `Wallet ${sym}`, before: tokenText(ctx.tokenBalance, sym), after: tokenText(ctx.tokenBalance - amount, sym) },
    {
      label: `Wallet ${nat}`,
      before: tokenText(ctx.nativeBalance, nat),
      after: `${tokenText(ctx.nativeBalance - ethWei, nat)} (before gas)`,
    },
    {
      label: 'Your share of the pool',
      before: shareText(p.lpBalance, p.totalSupply),
      after: shareText(p.lpBalance + minted, p.totalSupply + minted),
    },
  ];
  return {
    steps: [
      ...(problem ? [] : await approvalIfShort(ctx, ctx.deployment.token, p.router, amount, 'the Uniswap router')),
      {
        label: `Add ${formatUnits(amount)} ${sym} and ${formatUnits(ethWei)} ${nat} to the pool`,
        to: p.router,
        data: routerIface.encodeFunctionData('addLiquidityETH', [ctx.deployment.token, amount, tokenMin, ethMin, ctx.address, deadline]),
        valueWei: ethWei,
        fallbackGas: 260_000n,
      },
    ],
    changes,
    risks: [ilRisk],
    minimumReceived: `The deposit goes through only if it takes at least ${tokenText(tokenMin, sym)} and ${tokenText(ethMin, nat)} (slippage ${bps / 100} %).`,
    problem,
    floors,
    expected: { amounts: [amount, ethWei], describe: ([t, e]) => `${tokenText(t!, sym)} with ${tokenText(e!, nat)}` },
  };
}

export async function planRemoveLiquidity(ctx: PlanContext, p: PairRaw, input: { percent: number; slippageBps: number }): Promise<Plan> {
  const bps = checkSlippage(input.slippageBps);
  const percent = input.percent;
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0.01 || percent > 100) {
    throw new HearthError('bad_amount', `Take out between 0.01 and 100 percent of the pool position, not ${String(percent)}.`);
  }
  const sym = ctx.tokenSymbol;
  const nat = ctx.nativeSymbol;
  const lp = percent === 100 ? p.lpBalance : (p.lpBalance * BigInt(Math.round(percent * 100))) / 10_000n;
  const tokenOut = p.totalSupply === 0n ? 0n : (lp * p.reserveToken) / p.totalSupply;
  const ethOut = p.totalSupply === 0n ? 0n : (lp * p.reserveEth) / p.totalSupply;
  const floors = ctx.floors ?? [lessBps(tokenOut, bps), lessBps(ethOut, bps)];
  const [tokenMin, ethMin] = floors as [bigint, bigint];
  let problem = null;
  if (p.lpBalance === 0n) problem = refuse('insufficient_balance', 'This account has no liquidity in the pool to take out.');
  else if (lp === 0n) problem = refuse('bad_amount', `${percent} % of the position is less than one LP unit.`);
  else if (tokenOut < tokenMin || ethOut < ethMin)
    problem = refuse(
      'slippage',
      `The price moved since the preview: ${percent} % now returns ${tokenText(tokenOut, sym)} and ${tokenText(ethOut, nat)}, below the accepted ${tokenText(tokenMin, sym)} and ${tokenText(ethMin, nat)}. Preview again.`,
    );
  const deadline = BigInt(ctx.chainTime + DEADLINE_SECONDS);
  return {
    steps: [
      ...(problem ? [] : await approvalIfShort(ctx, p.pair, p.router, lp, 'the Uniswap router')),
      {
        label: `Take ${percent} % out of the pool`,
        to: p.router,
        data: routerIface.encodeFunctionData('removeLiquidityETH', [ctx.deployment.token, lp, tokenMin, ethMin, ctx.address, deadline]),
        fallbackGas: 220_000n,
      },
    ],
    changes: [
      {
        label: 'Your share of the pool',
        before: shareText(p.lpBalance, p.totalSupply),
        after: shareText(p.lpBalance - lp, p.totalSupply - lp),
      },
      { label: `Wallet ${sym}`, before: tokenText(ctx.tokenBalance, sym), after: tokenText(ctx.tokenBalance + tokenOut, sym) },
      {
        label: `Wallet ${nat}`,
        before: tokenText(ctx.nativeBalance, nat),
        after: `${tokenText(ctx.nativeBalance + ethOut, nat)} (before gas)`,
      },
    ],
    risks: [
      'What comes out is today’s mix of the two assets, which differs from what went in when the price has moved (impermanent loss becomes real).',
    ],
    minimumReceived: `At least ${tokenText(tokenMin, sym)} and ${tokenText(ethMin, nat)} (slippage ${bps / 100} %).`,
    problem,
    floors,
    expected: { amounts: [tokenOut, ethOut], describe: ([t, e]) => `${tokenText(t!, sym)} and ${tokenText(e!, nat)}` },
  };
}

export async function planSwap(
  ctx: PlanContext,
  p: PairRaw,
  input: { direction: 'token-to-eth' | 'eth-to-token'; amount: string; slippageBps: number },
): Promise<Plan> {
  const bps = checkSlippage(input.slippageBps);
  const sell = input.direction === 'token-to-eth';
  if (input.direction !== 'token-to-eth' && input.direction !== 'eth-to-token')
    throw new HearthError('bad_amount', 'Swap direction is token-to-eth or eth-to-token.');
  const inSym = sell ? ctx.tokenSymbol : ctx.nativeSymbol;
  const outSym = sell ? ctx.nativeSymbol : ctx.tokenSymbol;
  const amount = parseAmount(input.amount, inSym);
  const [reserveIn, reserveOut] = sell ? [p.reserveToken, p.reserveEth] : [p.reserveEth, p.reserveToken];
  const out = amountOut(amount, reserveIn, reserveOut);
  const floors = ctx.floors ?? [lessBps(out, bps)];
  const [minOut] = floors as [bigint];
  const have = sell ? ctx.tokenBalance : ctx.nativeBalance;
  // Price impact: how far the fill is from the spot price, fee included.
  const spotOut = reserveIn === 0n ? 0n : (amount * reserveOut) / reserveIn;
  const impact = spotOut === 0n ? 1 : 1 - Number((out * 10n ** 12n) / spotOut) / 1e12;
  let problem = null;
  if (amount > have)
    problem = refuse(
      'insufficient_balance',
      `The wallet holds ${tokenText(have, inSym)}, less than the ${tokenText(amount, inSym)} to swap.`,
    );
  else if (out === 0n) problem = refuse('bad_amount', `${tokenText(amount, inSym)} buys nothing at this price.`);
  else if (out < minOut)
    problem = refuse(
      'slippage',
      `The price moved since the preview: ${tokenText(amount, inSym)} now buys ${tokenText(out, outSym)}, below the ${tokenText(minOut, outSym)} accepted (slippage ${bps / 100} %). Preview again.`,
    );
  const deadline = BigInt(ctx.chainTime + DEADLINE_SECONDS);
  const path = sell ? [ctx.deployment.token, p.weth] : [p.weth, ctx.deployment.token];
  const call = sell
    ? { data: routerIface.encodeFunctionData('swapExactTokensForETH', [amount, minOut, path, ctx.address, deadline]) }
    : { data: routerIface.encodeFunctionData('swapExactETHForTokens', [minOut, path, ctx.address, deadline]), valueWei: amount };
  const risks = [`Price impact ${pct(Math.max(0, impact))}: the trade itself moves the price (0.3 % of it is the pool fee).`];
  if (impact > 0.05) risks.push('That is a large price impact for this pool; a smaller amount gets a better rate.');
  return {
    steps: [
      ...(sell && !problem ? await approvalIfShort(ctx, ctx.deployment.token, p.router, amount, 'the Uniswap router') : []),
      { label: `Swap ${formatUnits(amount)} ${inSym} for ${outSym}`, to: p.router, ...call, fallbackGas: 180_000n },
    ],
    changes: [
      {
        label: `Wallet ${ctx.tokenSymbol}`,
        before: tokenText(ctx.tokenBalance, ctx.tokenSymbol),
        after: tokenText(sell ? ctx.tokenBalance - amount : ctx.tokenBalance + out, ctx.tokenSymbol),
      },
      {
        label: `Wallet ${ctx.nativeSymbol}`,
        before: tokenText(ctx.nativeBalance, ctx.nativeSymbol),
        after: `${tokenText(sell ? ctx.nativeBalance + out : ctx.nativeBalance - amount, ctx.nativeSymbol)} (before gas)`,
      },
    ],
    risks,
    minimumReceived: `${tokenText(minOut, outSym)} (quoted ${tokenText(out, outSym)}, slippage ${bps / 100} %).`,
    problem,
    floors,
    expected: { amounts: [out], describe: ([o]) => tokenText(o!, outSym) },
  };
}
