/**
 * Putting the token into, and taking it out of, an ERC-4626 vault of it: the lending vault
 * and the fee pool plan these the same way and differ only in words and in what limits a
 * withdrawal.
 */
import { iface } from './calls.ts';
import { formatUnits, parseAmount, parseAmountOrAll } from './amounts.ts';
import { approvalIfShort, change, refuse, tokenText, type Plan, type PlanContext } from './plan.ts';

const erc4626 = iface([
  'function deposit(uint256 assets, address receiver) returns (uint256)',
  'function withdraw(uint256 assets, address receiver, address owner) returns (uint256)',
  'function redeem(uint256 shares, address receiver, address owner) returns (uint256)',
]);

export interface VaultHolding {
  address: string;
  /** "the fee pool", "the lending vault": who the approval is for. */
  name: string;
  /** The figure the action changes: "In the fee pool", "Lent". */
  figure: string;
  /** What this account's shares redeem for now. */
  value: bigint;
  shares: bigint;
  fallbackGas: bigint;
}

/** Approve if the allowance is short, then deposit `amount` of the wallet's tokens. */
export async function planVaultDeposit(
  ctx: PlanContext,
  vault: VaultHolding,
  input: { amount: string },
  words: { label: (amount: string) => string; verb: string; risk: string },
): Promise<Plan> {
  const amount = parseAmount(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const problem =
    amount > ctx.tokenBalance
      ? refuse(
          'insufficient_balance',
          `The wallet holds ${tokenText(ctx.tokenBalance, sym)}, less than the ${tokenText(amount, sym)} to ${words.verb}.`,
        )
      : null;
  return {
    steps: [
      ...(problem ? [] : await approvalIfShort(ctx, ctx.deployment.token, vault.address, amount, vault.name)),
      {
        label: words.label(`${formatUnits(amount)} ${sym}`),
        to: vault.address,
        data: erc4626.encodeFunctionData('deposit', [amount, ctx.address]),
        fallbackGas: vault.fallbackGas,
      },
    ],
    changes: [
      change(vault.figure, vault.value, vault.value + amount, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance - amount, sym),
    ],
    risks: [words.risk],
    minimumReceived: null,
    problem,
  };
}

/**
 * Withdraw `amount` of tokens, or redeem every share for "all" (so no dust of shares is left).
 * `limit` says why an amount cannot come out (more than held, more than the vault's cash);
 * `nothing` is the refusal when the account holds no shares.
 */
export function planVaultExit(
  ctx: PlanContext,
  vault: VaultHolding,
  input: { amount: string },
  words: { nothing: string; limit: (amount: bigint) => Plan['problem'] },
): Plan {
  const asked = parseAmountOrAll(input.amount, ctx.tokenSymbol);
  const sym = ctx.tokenSymbol;
  const amount = asked === 'all' ? vault.value : asked;
  const problem = vault.shares === 0n ? refuse('insufficient_balance', words.nothing) : words.limit(amount);
  const data =
    asked === 'all'
      ? erc4626.encodeFunctionData('redeem', [vault.shares, ctx.address, ctx.address])
      : erc4626.encodeFunctionData('withdraw', [amount, ctx.address, ctx.address]);
  return {
    steps: [
      {
        label: `Take ${asked === 'all' ? 'everything' : `${formatUnits(amount)} ${sym}`} out of ${vault.name}`,
        to: vault.address,
        data,
        fallbackGas: vault.fallbackGas,
      },
    ],
    changes: [
      change(vault.figure, vault.value, vault.value - amount, sym),
      change(`Wallet ${sym}`, ctx.tokenBalance, ctx.tokenBalance + amount, sym),
    ],
    risks: [],
    minimumReceived: null,
    problem,
  };
}
