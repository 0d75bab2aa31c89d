/** What an action turns into before anything is signed: its transactions, changes, risks and any refusal. */
import type { Deployment } from '../../common/contracts/addresses.ts';
import { HearthError } from '../../common/errors.ts';
import type { RpcClient } from '../chain/rpc.ts';
import { formatUnits } from './amounts.ts';
import { iface, uint, view } from './calls.ts';

export interface Step {
  label: string;
  to: string;
  data: string;
  valueWei?: bigint;
  /** Gas assumed in a preview when the step cannot be estimated yet (it needs an earlier step). */
  fallbackGas: bigint;
}

export interface Change {
  label: string;
  before: string;
  after: string;
}

export interface Plan {
  steps: Step[];
  changes: Change[];
  risks: string[];
  minimumReceived: string | null;
  /** Set when the action cannot be done as asked; nothing is signed then. */
  problem: { code: string; message: string } | null;
  /** The slippage floors the preview quoted (router mins), so act holds the user to what they saw. */
  floors?: bigint[];
  /** What the router call is expected to return, for the slippage error's numbers. */
  expected?: { amounts: bigint[]; describe: (amounts: bigint[]) => string };
}

/** What every planner reads from. */
export interface PlanContext {
  rpc: RpcClient;
  deployment: Deployment;
  address: string;
  tokenSymbol: string;
  nativeSymbol: string;
  tokenBalance: bigint;
  nativeBalance: bigint;
  /** Latest block's timestamp (s): deadlines and unbonding release are chain time. */
  chainTime: number;
  /** Floors from the preview of this very action, when one was made recently. */
  floors?: bigint[];
}

export const erc20 = iface([
  'function balanceOf(address) view returns (uint256)',
  'function allowance(address,address) view returns (uint256)',
  'function approve(address,uint256) returns (bool)',
  'function totalSupply() view returns (uint256)',
]);

/** An approval step when `spender`'s allowance of `token` is short of `amount`, else nothing. */
export async function approvalIfShort(ctx: PlanContext, token: string, spender: string, amount: bigint, what: string): Promise<Step[]> {
  const allowance = uint(await view(ctx.rpc, erc20, token, 'allowance', [ctx.address, spender]), 'allowance');
  if (allowance >= amount) return [];
  return [
    {
      label: `Allow ${what} to take ${formatUnits(amount)} ${token.toLowerCase() === ctx.deployment.token.toLowerCase() ? ctx.tokenSymbol : 'LP tokens'}`,
      to: token,
      data: erc20.encodeFunctionData('approve', [spender, amount]),
      fallbackGas: 80_000n,
    },
  ];
}

export function tokenText(wei: bigint, symbol: string): string {
  return `${formatUnits(wei)} ${symbol}`;
}

export function change(label: string, before: bigint, after: bigint, symbol: string): Change {
  return { label, before: tokenText(before, symbol), after: tokenText(after, symbol) };
}

export function refuse(code: string, message: string): { code: string; message: string } {
  return { code, message };
}

export function throwIfProblem(plan: Plan): void {
  if (plan.problem) throw new HearthError(plan.problem.code, `${plan.problem.message} Nothing was sent.`);
}

/** A duration in words: "1 hour", "14 days", "90 seconds". */
export function duration(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0 && seconds >= 86_400) return unit(seconds / 86_400, 'day');
  if (seconds % 3_600 === 0 && seconds >= 3_600) return unit(seconds / 3_600, 'hour');
  if (seconds % 60 === 0 && seconds >= 60) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}
