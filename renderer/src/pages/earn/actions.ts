import type { PositionAction, PositionActionKind } from '../../../../common/ipc/groups/positions.ts';
import { checkAmount } from './format.ts';

/** What the dialog's form holds, for every kind of action (each uses a few fields). */
export interface ActionForm {
  amount: string;
  classLabel: string;
  /** Share of the LP balance to take out, typed as a percentage. */
  percent: string;
  direction: 'token-to-eth' | 'eth-to-token';
  slippageBps: number;
  /** Auto-repay share, typed as a percentage. */
  autoRepayPercent: string;
}

export interface ActionSpec {
  kind: PositionActionKind;
  /** The dialog's title and the button that opens it. */
  title: string;
  /** One sentence on what happens, in plain words. */
  summary: string;
  amount?: { label: 'token' | 'swap'; allowAll?: boolean };
  classLabel?: boolean;
  percent?: boolean;
  direction?: boolean;
  slippage?: boolean;
  autoRepay?: boolean;
}

export const actionSpecs: Record<PositionActionKind, ActionSpec> = {
  stake: { kind: 'stake', title: 'Stake', summary: 'Adds tokens to your stake in a class. Stake counts for taking jobs and earns rewards; a wrong or late result costs part of it.', amount: { label: 'token' }, classLabel: true },
  unbond: { kind: 'unbond', title: 'Unbond', summary: 'Starts taking stake out of a class. It stops counting at once, and can be withdrawn only after the unbonding delay.', amount: { label: 'token' }, classLabel: true },
  withdraw: { kind: 'withdraw', title: 'Withdraw unbonded', summary: 'Moves stake whose unbonding delay has passed back to your wallet.', classLabel: true },
  'claim-rewards': { kind: 'claim-rewards', title: 'Claim rewards', summary: 'Sends the staking rewards you have earned to your wallet.' },
  lend: { kind: 'lend', title: 'Lend', summary: 'Deposits tokens in the lending vault. Providers borrow them to stake and pay interest, which you earn.', amount: { label: 'token' } },
  'redeem-lend': { kind: 'redeem-lend', title: 'Take out of lending', summary: 'Takes tokens (with the interest earned) out of the lending vault, as far as they are not lent out right now.', amount: { label: 'token', allowAll: true } },
  'borrow-to-stake': { kind: 'borrow-to-stake', title: 'Borrow to stake', summary: 'Borrows tokens from the vault and stakes them for you. Your stake is the collateral: if it falls too far (for example after slashes) it can be liquidated.', amount: { label: 'token' }, classLabel: true },
  repay: { kind: 'repay', title: 'Repay', summary: 'Pays back borrowed tokens from your wallet, with the interest to date.', amount: { label: 'token', allowAll: true } },
  'set-auto-repay': { kind: 'set-auto-repay', title: 'Auto-repay', summary: 'Sets the share of every job payment that goes straight to paying back your debt.', autoRepay: true },
  'pool-deposit': { kind: 'pool-deposit', title: 'Join the fee pool', summary: 'Deposits tokens in the fee pool, which earns a share of every job fee paid on the market.', amount: { label: 'token' } },
  'pool-redeem': { kind: 'pool-redeem', title: 'Leave the fee pool', summary: 'Takes tokens out of the fee pool, with the fees your share has earned.', amount: { label: 'token', allowAll: true } },
  'add-liquidity': { kind: 'add-liquidity', title: 'Add liquidity', summary: 'Puts tokens and a matching amount of ETH into the trading pair; you earn a share of its trading fees.', amount: { label: 'token' }, slippage: true },
  'remove-liquidity': { kind: 'remove-liquidity', title: 'Remove liquidity', summary: 'Takes your tokens and ETH out of the trading pair, at the current mix.', percent: true, slippage: true },
  swap: { kind: 'swap', title: 'Swap', summary: 'Trades tokens for ETH or ETH for tokens through the pair, at its current price.', amount: { label: 'swap' }, direction: true, slippage: true },
};

export const SLIPPAGE_CHOICES = [10, 50, 100, 200, 500] as const;

export function initialForm(classLabel: string, autoRepayBps: number): ActionForm {
  return { amount: '', classLabel, percent: '', direction: 'token-to-eth', slippageBps: 50, autoRepayPercent: String(autoRepayBps / 100) };
}

export type Built = { ok: true; action: PositionAction } | { ok: false; field: 'amount' | 'percent' | 'autoRepayPercent' | 'classLabel'; message: string };

function percentProblem(text: string, min: number, what: string): string | null {
  const value = text.trim();
  if (value === '') return `Enter ${what}.`;
  if (value.startsWith('-')) return `Enter ${what}: it cannot be negative.`;
  if (!/^\d+(\.\d+)?$/.test(value)) return `Enter ${what} as a number, such as 50.`;
  const n = Number(value);
  if (n < min || n > 100) return `Enter ${what} from ${min} to 100.`;
  return null;
}

/** The action the form describes, or the first thing to fix (checked before any preview is asked for). */
export function buildAction(spec: ActionSpec, form: ActionForm): Built {
  const amount = form.amount.trim();
  if (spec.classLabel && form.classLabel === '') return { ok: false, field: 'classLabel', message: 'Choose a device class.' };
  if (spec.amount) {
    const problem = checkAmount(amount, { allowAll: spec.amount.allowAll ?? false });
    if (problem) return { ok: false, field: 'amount', message: problem };
  }
  const all = amount.toLowerCase() === 'all' ? 'all' : amount;
  switch (spec.kind) {
    case 'stake':
    case 'unbond':
    case 'borrow-to-stake':
      return { ok: true, action: { kind: spec.kind, classLabel: form.classLabel, amount } };
    case 'withdraw':
      return { ok: true, action: { kind: 'withdraw', classLabel: form.classLabel } };
    case 'claim-rewards':
      return { ok: true, action: { kind: 'claim-rewards' } };
    case 'lend':
    case 'pool-deposit':
      return { ok: true, action: { kind: spec.kind, amount } };
    // "all" redeems every share: typing the value shown could leave a share's dust behind.
    case 'redeem-lend':
    case 'pool-redeem':
    case 'repay':
      return { ok: true, action: { kind: spec.kind, amount: all } };
    case 'set-auto-repay': {
      const problem = percentProblem(form.autoRepayPercent, 0, 'a share');
      if (problem) return { ok: false, field: 'autoRepayPercent', message: problem };
      return { ok: true, action: { kind: 'set-auto-repay', bps: Math.round(Number(form.autoRepayPercent) * 100) } };
    }
    case 'add-liquidity':
      return { ok: true, action: { kind: 'add-liquidity', amount, slippageBps: form.slippageBps } };
    case 'remove-liquidity': {
      const problem = percentProblem(form.percent, 0.01, 'a percentage of your share');
      if (problem) return { ok: false, field: 'percent', message: problem };
      return { ok: true, action: { kind: 'remove-liquidity', percent: Number(form.percent), slippageBps: form.slippageBps } };
    }
    case 'swap':
      return { ok: true, action: { kind: 'swap', direction: form.direction, amount, slippageBps: form.slippageBps } };
  }
}
