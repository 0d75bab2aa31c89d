/**
 * Reverts of the lending vault, the fee pool, the staking contract and the token, in words with
 * their numbers, so a refusal the chain makes (a race between preview and inclusion, or a
 * rule the preview does not model) reads like the preview's own refusals.
 */
import { Interface, type ErrorDescription } from 'ethers';
import { feePoolAbi, hearthTokenAbi, lendingVaultAbi, providerStakingAbi } from '../../common/contracts/abis.ts';
import { findRevertData } from '../market/send.ts';
import { formatUnits } from './amounts.ts';

const ifaces = [lendingVaultAbi, feePoolAbi, providerStakingAbi, hearthTokenAbi].map((abi) => new Interface(abi));

function parse(data: string): ErrorDescription | null {
  for (const i of ifaces) {
    try {
      const parsed = i.parseError(data);
      if (parsed) return parsed;
    } catch {
      // not this contract's error
    }
  }
  return null;
}

/** Vault and pool shares have 24 decimals (18 + the offset of 6). */
function shares(n: bigint): string {
  return formatUnits(n / 10n ** 6n);
}

/** A known revert as { code, message }, or null when the error carries none we know. */
export function explainRevert(error: unknown, symbol: string): { code: string; message: string } | null {
  const data = findRevertData(error);
  const e = data ? parse(data) : null;
  if (!e) return null;
  const t = (wei: unknown) => `${formatUnits(BigInt(wei as bigint))} ${symbol}`;
  const a = e.args;
  switch (e.name) {
    case 'InsufficientCash':
      return {
        code: 'insufficient_liquidity',
        message: `the vault has ${t(a[0])} not lent out, less than the ${t(a[1])} asked for.`,
      };
    case 'ExceedsMaxLtv':
      return {
        code: 'borrow_limit',
        message: `the debt would be ${t(a[0])}, above the vault's limit of ${t(a[1])} for the stake after the borrow.`,
      };
    case 'NoDebt':
      return { code: 'nothing_to_repay', message: 'this account owes the vault nothing.' };
    case 'PositionHealthy':
      return {
        code: 'healthy',
        message: `the position is healthy (health factor ${(Number((BigInt(a[0] as bigint) * 100n) / 10n ** 18n) / 100).toFixed(2)}), so it cannot be liquidated.`,
      };
    case 'ZeroAmount':
      return { code: 'bad_amount', message: 'the amount is zero, or worth nothing after rounding.' };
    case 'ERC4626ExceededMaxWithdraw':
      return { code: 'insufficient_liquidity', message: `at most ${t(a[2])} can be taken out now, less than the ${t(a[1])} asked for.` };
    case 'ERC4626ExceededMaxRedeem':
      return {
        code: 'insufficient_liquidity',
        message: `at most ${shares(BigInt(a[2] as bigint))} shares can be redeemed now, less than the ${shares(BigInt(a[1] as bigint))} asked for.`,
      };
    case 'ERC4626ExceededMaxDeposit':
    case 'ERC4626ExceededMaxMint':
      return { code: 'bad_amount', message: 'the vault takes no more deposits of that size.' };
    case 'Unhealthy':
      return {
        code: 'unhealthy',
        message: 'the lending position would be under a health factor of 1 (or already is); repay part of the debt first.',
      };
    case 'InsufficientStake':
      return { code: 'insufficient_stake', message: `only ${t(a[0])} of free stake is there, less than the ${t(a[1])} asked for.` };
    case 'BelowMinStake':
      return { code: 'below_minimum', message: `${t(a[0])} would stay staked, under the class minimum of ${t(a[1])}.` };
    case 'ERC20InsufficientBalance':
      return { code: 'insufficient_balance', message: `the wallet holds ${t(a[1])}, less than the ${t(a[2])} needed.` };
    case 'ERC20InsufficientAllowance':
      return { code: 'insufficient_allowance', message: `the approval is ${t(a[1])}, less than the ${t(a[2])} needed.` };
    case 'NotRegistered':
    case 'ClassNotDeclared':
      return { code: 'not_registered', message: 'register as a provider in this class first (the Market page).' };
    default:
      return null;
  }
}
