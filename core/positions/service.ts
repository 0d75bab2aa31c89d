/**
 * The positions service: reads the selected account's staking, lending, fee-pool and liquidity
 * positions on the active network, previews actions on them (transactions, gas, changes, risks,
 * slippage floors) and carries them out through the transaction manager, one step at a time.
 * A refusal (bad amount, short balance, unhealthy borrow, moved price) happens before anything
 * is signed. Value samples and the first liquidity deposit go to the ledger.
 */
import { HearthError, isHearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { PositionAction, PositionPreview, PositionSample, PositionsView } from '../../common/ipc/groups/positions.ts';
import { suggestFees } from '../chain/fees.ts';
import type { ActiveNetwork, Signer, TxManager } from '../chain/tx-manager.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Clock, Logger } from '../ports.ts';
import { revertText, sendAndWait } from '../market/send.ts';
import { checkSlippage, formatUnits, parseAmount, parseAmountOrAll } from './amounts.ts';
import { blockAt, nativeBalance, uint, view } from './calls.ts';
import { planPoolDeposit, planPoolRedeem, readFeePool } from './fee-pool.ts';
import { planAutoRepay, planBorrowToStake, planLend, planRedeemLend, planRepay, readLending } from './lending.ts';
import { planAddLiquidity, planRemoveLiquidity, planSwap, readPair, rootKPerLp, type PairRaw } from './liquidity.ts';
import { erc20, throwIfProblem, type Plan, type PlanContext } from './plan.ts';
import { explainRevert } from './vault-errors.ts';
import { planClaim, planStake, planUnbond, planWithdraw, readStaking } from './staking.ts';
import { readPositionsView } from './read-view.ts';
import { elapsedSince } from '../elapsed.ts';

export type PositionsLedger = Pick<
  Ledger,
  'addPositionSample' | 'lastPositionSampleAt' | 'positionSamples' | 'recordLpDeposit' | 'lpDeposit' | 'clearLpDeposit'
>;

export interface PositionsDeps {
  clock: Clock;
  logger?: Logger;
  /** The active network when it answers with the right chain id. */
  network: () => ActiveNetwork | undefined;
  /** Why the network is not usable, in words (when `network()` is undefined). */
  networkProblem: () => string;
  /** The selected network's chain id, also while it is down. */
  chainId: () => number;
  deployment: () => Deployment | undefined;
  /** The selected account, or why there is none. */
  account: () => { address: string } | { missing: string };
  /** Throws wallet_locked while the wallet is locked. */
  signer: () => Signer;
  txs: () => TxManager;
  ledger: () => PositionsLedger | undefined;
  tokenSymbol: () => string;
  nativeSymbol: () => string;
  /** Keeps an unlocked wallet from auto-locking while the user acts. */
  touch?: () => void;
  onTx?: (label: string, hash: string, gasWei: bigint, status: 'confirmed' | 'failed', block: number) => void;
  /** How long act waits for each transaction (default 120 s). */
  txTimeoutMs?: number;
}

/** How long a preview's slippage floors hold for the act that follows it. */
const FLOORS_TTL_MS = 10 * 60_000;
const SLIPPAGE_REVERT =
  /INSUFFICIENT_OUTPUT_AMOUNT|INSUFFICIENT_A_AMOUNT|INSUFFICIENT_B_AMOUNT|INSUFFICIENT_ETH_AMOUNT|INSUFFICIENT_TOKEN_AMOUNT|UniswapV2Router: EXPIRED/;

interface Loaded {
  net: ActiveNetwork;
  ctx: PlanContext;
}

export function createPositionsService(deps: PositionsDeps) {
  const floors = new Map<string, { floors: bigint[]; at: number }>();

  const floorKey = (chainId: number, address: string, action: PositionAction) =>
    `${chainId}|${address.toLowerCase()}|${JSON.stringify(action)}`;

  /** Network, addresses file and account for an action; a clear error for each that is missing. */
  async function load(): Promise<Loaded> {
    const account = deps.account();
    if ('missing' in account) throw new HearthError('no_wallet', account.missing);
    const net = deps.network();
    if (!net) throw new HearthError('network_unavailable', deps.networkProblem());
    const deployment = deps.deployment();
    if (!deployment || deployment.chainId !== net.chainId)
      throw new HearthError(
        'no_contract',
        'This network has no Hearth addresses file, so there are no positions to act on. Add one under Settings → Networks.',
      );
    const [tokenBalance, native, head] = await Promise.all([
      view(net.rpc, erc20, deployment.token, 'balanceOf', [account.address]),
      nativeBalance(net.rpc, account.address),
      blockAt(net.rpc, 'latest'),
    ]);
    return {
      net,
      ctx: {
        rpc: net.rpc,
        deployment,
        address: account.address,
        tokenSymbol: deps.tokenSymbol(),
        nativeSymbol: deps.nativeSymbol(),
        tokenBalance: uint(tokenBalance, 'token balance'),
        nativeBalance: native,
        chainTime: head.timestamp,
      },
    };
  }

  async function planFor(ctx: PlanContext, action: PositionAction): Promise<Plan> {
    const { rpc, deployment: d, address } = ctx;
    switch (action.kind) {
      case 'stake':
        return planStake(ctx, await readStaking(rpc, d, address), action);
      case 'unbond': {
        const [staking, lending] = await Promise.all([readStaking(rpc, d, address), d.lending ? readLending(rpc, d, address) : null]);
        return planUnbond(ctx, staking, action, lending);
      }
      case 'withdraw': {
        const [staking, lending] = await Promise.all([readStaking(rpc, d, address), d.lending ? readLending(rpc, d, address) : null]);
        return planWithdraw(ctx, staking, action, lending);
      }
      case 'claim-rewards':
        return planClaim(ctx, await readStaking(rpc, d, address));
      case 'lend':
        return planLend(ctx, await readLending(rpc, d, address), action);
      case 'redeem-lend':
        return planRedeemLend(ctx, await readLending(rpc, d, address), action);
      case 'borrow-to-stake': {
        const [lending, staking] = await Promise.all([readLending(rpc, d, address), readStaking(rpc, d, address)]);
        return planBorrowToStake(ctx, lending, staking, action);
      }
      case 'repay':
        return planRepay(ctx, await readLending(rpc, d, address), action);
      case 'set-auto-repay':
        return planAutoRepay(ctx, await readLending(rpc, d, address), action);
      case 'pool-deposit':
        return planPoolDeposit(ctx, await readFeePool(rpc, d, address), action);
      case 'pool-redeem':
        return planPoolRedeem(ctx, await readFeePool(rpc, d, address), action);
      case 'add-liquidity':
        return planAddLiquidity(ctx, await readPair(rpc, d, address), action);
      case 'remove-liquidity':
        return planRemoveLiquidity(ctx, await readPair(rpc, d, address), action);
      case 'swap':
        return planSwap(ctx, await readPair(rpc, d, address), action);
      default:
        throw new HearthError('bad_action', `Unknown action ${JSON.stringify((action as { kind?: unknown }).kind)}.`);
    }
  }

  /** Amount-shaped inputs are checked before the network is touched, so a typo never waits on RPC. */
  function precheck(action: PositionAction): void {
    if (!action || typeof action !== 'object' || typeof (action as { kind?: unknown }).kind !== 'string')
      throw new HearthError('bad_action', 'An action needs a kind.');
    const a = action as { kind: string; amount?: unknown; slippageBps?: unknown; direction?: unknown };
    if ('amount' in a) {
      if (typeof a.amount !== 'string') throw new HearthError('bad_amount', 'The amount must be text such as "12.5".');
      const what = a.kind === 'swap' && a.direction === 'eth-to-token' ? deps.nativeSymbol() : deps.tokenSymbol();
      if (['redeem-lend', 'repay', 'pool-redeem'].includes(a.kind)) parseAmountOrAll(a.amount, what);
      else parseAmount(a.amount, what);
    }
    if ('slippageBps' in a) checkSlippage(a.slippageBps as number);
    if (action.kind === 'remove-liquidity' && !(Number.isFinite(action.percent) && action.percent >= 0.01 && action.percent <= 100)) {
      throw new HearthError('bad_amount', `Take out between 0.01 and 100 percent of the pool position, not ${String(action.percent)}.`);
    }
  }

  async function preview(action: PositionAction): Promise<PositionPreview> {
    precheck(action);
    const { net, ctx } = await load();
    const plan = await planFor(ctx, action);
    let problem = plan.problem?.message ?? null;
    let gas = 0n;
    for (const [i, step] of plan.steps.entries()) {
      if (problem !== null || i > 0) {
        // Later steps need the earlier ones mined (an approval), so they cannot be estimated yet.
        gas += await deps
          .txs()
          .estimateGas(ctx.address, { to: step.to, data: step.data, valueWei: step.valueWei ?? 0n, label: step.label })
          .catch(() => step.fallbackGas);
        continue;
      }
      try {
        gas += await deps
          .txs()
          .estimateGas(ctx.address, { to: step.to, data: step.data, valueWei: step.valueWei ?? 0n, label: step.label });
      } catch (error) {
        problem = `${step.label} would fail: ${explainRevert(error, ctx.tokenSymbol)?.message ?? revertText(error)}`;
        gas += step.fallbackGas;
      }
    }
    const fees = await suggestFees(net.rpc);
    const base = fees.maxFeePerGas - fees.maxPriorityFeePerGas;
    const estimated = gas * (base / 2n + fees.maxPriorityFeePerGas);
    const maxGas = gas * fees.maxFeePerGas;
    const value = plan.steps.reduce((sum, s) => sum + (s.valueWei ?? 0n), 0n);
    if (problem === null && ctx.nativeBalance < value + maxGas) {
      problem = `This needs up to ${formatUnits(value + maxGas)} ${ctx.nativeSymbol} with gas; the wallet holds ${formatUnits(ctx.nativeBalance)}.`;
    }
    if (plan.floors && problem === null)
      floors.set(floorKey(net.chainId, ctx.address, action), { floors: plan.floors, at: deps.clock.now() });
    return {
      action,
      steps: plan.steps.map((s) => s.label),
      estimatedGasWei: estimated.toString(),
      maxGasWei: maxGas.toString(),
      changes: plan.changes,
      minimumReceived: plan.minimumReceived,
      risks: plan.risks,
      problem,
    };
  }

  function stepError(error: unknown, index: number, plan: Plan, done: string[], symbol: string): HearthError {
    const step = plan.steps[index]!;
    const where = plan.steps.length > 1 ? `Step ${index + 1} of ${plan.steps.length} (${step.label})` : step.label;
    const before =
      index === 0
        ? 'Nothing was changed.'
        : `The steps before it went through (${plan.steps
            .slice(0, index)
            .map((s) => s.label)
            .join('; ')}: ${done.join(', ')}); an approval left behind is harmless. Nothing after it was sent.`;
    const message = error instanceof Error ? error.message : String(error);
    if (SLIPPAGE_REVERT.test(message)) {
      const expected = plan.expected
        ? ` It was quoted ${plan.expected.describe(plan.expected.amounts)}; the floor was ${plan.floors?.map((f) => formatUnits(f)).join(' and ') ?? 'unknown'}.`
        : '';
      return new HearthError(
        'slippage',
        `${where}: the price moved past your slippage limit, so the router refused the trade.${expected} ${before}`,
        { cause: error },
      );
    }
    if (isHearthError(error) && error.code === 'tx_pending')
      return new HearthError(
        'tx_pending',
        `${where} was sent but is not included yet; Hearth keeps following it. ${before} Check the activity list before trying again.`,
        { cause: error },
      );
    const explained = explainRevert(error, symbol);
    if (explained) return new HearthError(explained.code, `${where} was refused: ${explained.message} ${before}`, { cause: error });
    const code = isHearthError(error) ? error.code : 'tx_failed';
    return new HearthError(code, `${where} failed: ${message} ${before}`, { cause: error });
  }

  async function act(action: PositionAction): Promise<{ txHashes: string[]; positions: PositionsView }> {
    precheck(action);
    const { net, ctx } = await load();
    const key = floorKey(net.chainId, ctx.address, action);
    const remembered = floors.get(key);
    if (remembered && elapsedSince(deps.clock.now(), remembered.at) < FLOORS_TTL_MS) ctx.floors = remembered.floors;
    const plan = await planFor(ctx, action);
    throwIfProblem(plan);
    const signer = deps.signer();
    deps.touch?.();
    const pairBefore = action.kind === 'add-liquidity' ? await readPair(ctx.rpc, ctx.deployment, ctx.address) : null;
    const hashes: string[] = [];
    const sendDeps = {
      txs: deps.txs(),
      network: deps.network,
      clock: deps.clock,
      ...(deps.txTimeoutMs ? { timeoutMs: deps.txTimeoutMs } : {}),
    };
    for (const [i, step] of plan.steps.entries()) {
      let sent;
      try {
        sent = await sendAndWait(sendDeps, signer, {
          to: step.to,
          data: step.data,
          label: step.label,
          ...(step.valueWei ? { valueWei: step.valueWei } : {}),
        });
      } catch (error) {
        throw stepError(error, i, plan, hashes, ctx.tokenSymbol);
      }
      deps.onTx?.(step.label, sent.hash, sent.gasWei, sent.status, sent.blockNumber);
      if (sent.status === 'failed')
        throw stepError(new HearthError('tx_failed', `it was included but reverted (${sent.hash}).`), i, plan, hashes, ctx.tokenSymbol);
      hashes.push(sent.hash);
    }
    floors.delete(key);
    await afterLiquidity(action, net.chainId, ctx, pairBefore);
    return { txHashes: hashes, positions: await readPositionsView(deps, true) };
  }

  /** Keeps the first-deposit baseline of the fees and hold-value figures. */
  async function afterLiquidity(action: PositionAction, chainId: number, ctx: PlanContext, before: PairRaw | null): Promise<void> {
    const ledger = deps.ledger();
    if (!ledger || (action.kind !== 'add-liquidity' && action.kind !== 'remove-liquidity')) return;
    try {
      const p = await readPair(ctx.rpc, ctx.deployment, ctx.address);
      const q = { chainId, address: ctx.address, pair: p.pair };
      if (action.kind === 'remove-liquidity' && p.lpBalance === 0n) ledger.clearLpDeposit(q);
      if (action.kind === 'add-liquidity' && before && !ledger.lpDeposit(q)) {
        // What went in: the pool's reserves grew by exactly the deposit (nobody else traded in between in one block).
        ledger.recordLpDeposit(q, {
          at: deps.clock.now(),
          tokenWei: (p.reserveToken - before.reserveToken).toString(),
          ethWei: (p.reserveEth - before.reserveEth).toString(),
          rootKPerLp: rootKPerLp(p).toString(),
        });
      }
    } catch (error) {
      deps.logger?.warn('positions: could not record the liquidity baseline', { error: String(error) });
    }
  }

  function history(days: number): PositionSample[] {
    if (!Number.isInteger(days) || days < 1 || days > 365)
      throw new HearthError('bad_amount', `History covers 1 to 365 days, not ${String(days)}.`);
    const account = deps.account();
    const ledger = deps.ledger();
    if ('missing' in account || !ledger) return [];
    return ledger.positionSamples({ chainId: deps.chainId(), address: account.address, from: deps.clock.now() - days * 86_400_000 });
  }

  return { get: () => readPositionsView(deps, false), preview, act, history };
}

export type PositionsService = ReturnType<typeof createPositionsService>;
