/** Stake per device class, rewards and slashes, and the stake / unbond / withdraw / claim actions. */
import { zeroPadValue } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { StakingPosition } from '../../common/ipc/groups/positions.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { stakingIface } from '../market/chain-reads.ts';
import { formatUnits, parseAmount } from './amounts.ts';
import { logs, uint, view } from './calls.ts';
import { approvalIfShort, change, duration, refuse, tokenText, type Plan, type PlanContext, type Step } from './plan.ts';

/** What the lending vault says about the account, for the health checks on unbond and withdraw. */
export interface DebtRaw {
  debt: bigint;
  /** Active stake over all classes (ProviderStaking.collateralOf). */
  collateral: bigint;
  thresholdBps: number;
  /** Stake under which the position is unhealthy (LendingVault.liquidationCollateral). */
  liquidationCollateral: bigint;
}

function healthy(collateral: bigint, l: DebtRaw): boolean {
  return l.debt === 0n || collateral * BigInt(l.thresholdBps) >= l.debt * 10_000n;
}

function hf(collateral: bigint, l: DebtRaw): string {
  return (Number((collateral * BigInt(l.thresholdBps) * 100n) / (l.debt * 10_000n)) / 100).toFixed(2);
}

const U96 = 2n ** 96n;

export interface ClassStakeRaw {
  classLabel: string;
  classId: string;
  active: bigint;
  locked: bigint;
  unbonding: bigint;
  /** Chain seconds; 0 when nothing is unbonding. */
  releaseAt: number;
  minStake: bigint;
  declared: boolean;
}

export interface StakingRaw {
  registered: boolean;
  classes: ClassStakeRaw[];
  rewards: bigint;
  slashedWei: bigint;
  slashes: number;
  unbondingDelay: number;
}

export async function readStaking(rpc: RpcClient, d: Deployment, address: string): Promise<StakingRaw> {
  const account = await view(rpc, stakingIface, d.staking, 'accounts', [address]);
  const registered = uint(account, 'provider id', 2n ** 32n, 1) !== 0n;
  const classes = await Promise.all(
    d.markets.map(async (m): Promise<ClassStakeRaw> => {
      const [cs, min] = await Promise.all([
        view(rpc, stakingIface, d.staking, 'classStakes', [address, m.classId]),
        view(rpc, stakingIface, d.staking, 'minStake', [m.classId]),
      ]);
      // ClassStake: (active, locked, sweep, declared, unbonding, releaseAt); locked is part of active.
      const active = uint(cs, 'active stake', U96, 0);
      const locked = uint(cs, 'locked stake', U96, 1);
      if (locked > active)
        throw new HearthError(
          'bad_chain_data',
          `The staking contract says ${formatUnits(locked)} of the ${formatUnits(active)} staked in ${m.classLabel} is locked, more than is staked.`,
        );
      return {
        classLabel: m.classLabel,
        classId: m.classId,
        active,
        locked,
        unbonding: uint(cs, 'unbonding stake', U96, 4),
        releaseAt: Number(uint(cs, 'release time', 2n ** 56n, 5)),
        minStake: uint(min, 'minimum stake'),
        declared: cs[3] === true,
      };
    }),
  );
  const [earned, delay, slashedLogs] = await Promise.all([
    view(rpc, stakingIface, d.staking, 'earned', [address]),
    view(rpc, stakingIface, d.staking, 'unbondingDelay'),
    logs(rpc, {
      address: d.staking,
      topics: [stakingIface.getEvent('Slashed')!.topicHash, zeroPadValue(address, 32)],
      fromBlock: d.startBlock,
    }),
  ]);
  let slashedWei = 0n;
  for (const log of slashedLogs) {
    try {
      slashedWei += BigInt(stakingIface.parseLog(log)!.args[2] as bigint);
    } catch (error) {
      throw new HearthError('bad_chain_data', 'A Slashed event from the staking contract does not decode.', { cause: error });
    }
  }
  return {
    registered,
    classes,
    rewards: uint(earned, 'earned rewards'),
    slashedWei,
    slashes: slashedLogs.length,
    unbondingDelay: Number(uint(delay, 'unbonding delay', 2n ** 40n)),
  };
}

export function stakingView(raw: StakingRaw, priceEthPerToken: bigint | null): StakingPosition {
  const total = raw.classes.reduce((sum, c) => sum + c.active + c.unbonding, 0n);
  return {
    registered: raw.registered,
    classes: raw.classes.map((c) => ({
      classLabel: c.classLabel,
      classId: c.classId,
      activeWei: c.active.toString(),
      lockedWei: c.locked.toString(),
      unbondingWei: c.unbonding.toString(),
      releaseAt: c.unbonding > 0n ? c.releaseAt * 1000 : null,
      minStakeWei: c.minStake.toString(),
    })),
    totalWei: total.toString(),
    rewardsWei: raw.rewards.toString(),
    slashedWei: raw.slashedWei.toString(),
    slashes: raw.slashes,
    unbondingDelaySeconds: raw.unbondingDelay,
    valueEthWei: priceEthPerToken === null ? null : (((total + raw.rewards) * priceEthPerToken) / 10n ** 18n).toString(),
  };
}

export function findClass(raw: StakingRaw, d: Deployment, label: string): ClassStakeRaw {
  const found = raw.classes.find((c) => c.classLabel === label);
  if (!found)
    throw new HearthError(
      'unknown_class',
      `This network has no market for "${label.slice(0, 64)}". Pick one of: ${d.markets.map((m) => m.classLabel).join(', ')}.`,
    );
  return found;
}

export function slashRisk(delay: number): string {
  return `Staked tokens can be slashed for proven faults. Taking them out starts an unbonding wait of ${duration(delay)}, during which they earn nothing and can still be slashed.`;
}

/** Register / declare the class first when needed, as the market's registration does. */
function registrationSteps(raw: StakingRaw, c: ClassStakeRaw, d: Deployment): Step[] {
  if (!raw.registered)
    return [
      {
        label: 'Register as a provider',
        to: d.staking,
        data: stakingIface.encodeFunctionData('register', [[c.classId], 'hearth://provider']),
        fallbackGas: 200_000n,
      },
    ];
  if (!c.declared)
    return [
      {
        label: `Add the ${c.classLabel} class`,
        to: d.staking,
        data: stakingIface.encodeFunctionData('declareClass', [c.classId]),
        fallbackGas: 120_000n,
      },
    ];
  return [];
}

export async function planStake(ctx: PlanContext, raw: StakingRaw, input: { classLabel: string; amount: string }): Promise<Plan> {
  const c = findClass(raw, ctx.deployment, input.classLabel);
  const amount = parseAmount(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  let problem = null;
  if (amount > ctx.tokenBalance)
    problem = refuse(
      'insufficient_balance',
      `The wallet holds ${tokenText(ctx.tokenBalance, sym)}, less than the ${tokenText(amount, sym)} to stake.`,
    );
  else if (c.minStake === 0n) problem = refuse('class_disabled', `The ${c.classLabel} market no longer takes stake.`);
  else if (c.active + amount < c.minStake)
    problem = refuse(
      'below_minimum',
      `The ${c.classLabel} market needs at least ${tokenText(c.minStake, sym)} staked; ${tokenText(c.active + amount, sym)} would be.`,
    );
  const steps = [
    ...registrationSteps(raw, c, ctx.deployment),
    ...(problem ? [] : await approvalIfShort(ctx, ctx.deployment.token, ctx.deployment.staking, amount, 'the staking contract')),
    {
      label: `Stake ${formatUnits(amount)} ${sym} in ${c.classLabel}`,
      to: ctx.deployment.staking,
      data: stakingIface.encodeFunctionData('stake', [c.classId, amount]),
      fallbackGas: 250_000n,
    },
  ];
  return {
    steps,
    changes: [
      change(`Staked in ${c.classLabel}`, c.active, c.active + amount, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance - amount, sym),
    ],
    risks: [slashRisk(raw.unbondingDelay)],
    minimumReceived: null,
    problem,
  };
}

export function planUnbond(
  ctx: PlanContext,
  raw: StakingRaw,
  input: { classLabel: string; amount: string },
  lending: DebtRaw | null = null,
): Plan {
  const c = findClass(raw, ctx.deployment, input.classLabel);
  const amount = parseAmount(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const free = c.active - c.locked;
  const remaining = c.active - amount;
  let problem = null;
  if (amount > free) {
    problem = refuse(
      'insufficient_stake',
      c.locked > 0n
        ? `Only ${tokenText(free, sym)} of the ${tokenText(c.active, sym)} staked in ${c.classLabel} is free; ${tokenText(c.locked, sym)} backs open jobs until they close.`
        : `Only ${tokenText(c.active, sym)} is staked in ${c.classLabel}, less than the ${tokenText(amount, sym)} to unbond.`,
    );
  } else if (remaining !== 0n && remaining < c.minStake) {
    problem = refuse(
      'below_minimum',
      `What stays staked in ${c.classLabel} must be zero or at least ${tokenText(c.minStake, sym)}; ${tokenText(remaining, sym)} would stay. Unbond all of it or less.`,
    );
  } else if (lending && !healthy(lending.collateral - amount, lending)) {
    // The staking asks the vault the same question (isHealthyAfter) and reverts Unhealthy.
    const room = lending.collateral > lending.liquidationCollateral ? lending.collateral - lending.liquidationCollateral : 0n;
    problem = refuse(
      'unhealthy',
      `Unbonding ${tokenText(amount, sym)} would leave ${tokenText(lending.collateral - amount, sym)} of stake behind a debt of ${tokenText(lending.debt, sym)}: a health factor of ${hf(lending.collateral - amount, lending)}, under 1 (the stake must stay at least ${tokenText(lending.liquidationCollateral, sym)}). ${room > 0n ? `Unbond at most ${tokenText(room, sym)}, or repay part of the debt first.` : 'Repay part of the debt first.'}`,
    );
  }
  const risks = [slashRisk(raw.unbondingDelay)];
  if (c.unbonding > 0n)
    risks.push(
      `${tokenText(c.unbonding, sym)} already unbonding in ${c.classLabel} waits the full ${duration(raw.unbondingDelay)} again: a new request restarts the clock for all of it.`,
    );
  if (remaining < c.minStake) risks.push(`With nothing staked in ${c.classLabel} this machine can no longer take jobs there.`);
  return {
    steps: [
      {
        label: `Unbond ${formatUnits(amount)} ${sym} from ${c.classLabel}`,
        to: ctx.deployment.staking,
        data: stakingIface.encodeFunctionData('requestUnbond', [c.classId, amount]),
        fallbackGas: 200_000n,
      },
    ],
    changes: [
      change(`Staked in ${c.classLabel}`, c.active, remaining, sym),
      change(`Unbonding in ${c.classLabel}`, c.unbonding, c.unbonding + amount, sym),
    ],
    risks,
    minimumReceived: null,
    problem,
  };
}

export function planWithdraw(ctx: PlanContext, raw: StakingRaw, input: { classLabel: string }, lending: DebtRaw | null = null): Plan {
  const c = findClass(raw, ctx.deployment, input.classLabel);
  const sym = ctx.tokenSymbol;
  let problem = null;
  if (c.unbonding === 0n) problem = refuse('nothing_to_withdraw', `Nothing is unbonding in ${c.classLabel}.`);
  else if (ctx.chainTime < c.releaseAt)
    problem = refuse(
      'still_unbonding',
      `The ${tokenText(c.unbonding, sym)} unbonding in ${c.classLabel} can be withdrawn in ${duration(c.releaseAt - ctx.chainTime)} (at ${new Date(c.releaseAt * 1000).toISOString()}).`,
    );
  else if (lending && !healthy(lending.collateral, lending))
    // Unbonding stake is not collateral but stays within the lender's reach while the debt is uncovered.
    problem = refuse(
      'unhealthy',
      `The ${tokenText(c.unbonding, sym)} unbonding in ${c.classLabel} stays staked while the debt of ${tokenText(lending.debt, sym)} is not covered: ${tokenText(lending.collateral, sym)} of active stake gives a health factor of ${hf(lending.collateral, lending)}, under 1 (it needs ${tokenText(lending.liquidationCollateral, sym)}). Repay part of the debt or add stake first.`,
    );
  return {
    steps: [
      {
        label: `Withdraw ${formatUnits(c.unbonding)} ${sym} from ${c.classLabel}`,
        to: ctx.deployment.staking,
        data: stakingIface.encodeFunctionData('withdraw', [c.classId]),
        fallbackGas: 120_000n,
      },
    ],
    changes: [
      change(`Unbonding in ${c.classLabel}`, c.unbonding, 0n, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance + c.unbonding, sym),
    ],
    risks: [],
    minimumReceived: null,
    problem,
  };
}

export function planClaim(ctx: PlanContext, raw: StakingRaw): Plan {
  const sym = ctx.tokenSymbol;
  return {
    steps: [
      {
        label: `Claim ${formatUnits(raw.rewards)} ${sym} of staking rewards`,
        to: ctx.deployment.staking,
        data: stakingIface.encodeFunctionData('claimRewards'),
        fallbackGas: 120_000n,
      },
    ],
    changes: [
      change('Unclaimed rewards', raw.rewards, 0n, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance + raw.rewards, sym),
    ],
    risks: [],
    minimumReceived: null,
    problem: raw.rewards === 0n ? refuse('nothing_to_claim', 'There are no staking rewards to claim yet.') : null,
  };
}
