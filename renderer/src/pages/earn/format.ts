import { formatDuration, formatTimestamp } from '../../state/format.ts';
import { weiToDecimalText } from '../market/format.ts';
import { formatUnits } from '../wallet/format.ts';

/**
 * Figures for the Earn page. Amounts arrive as wei strings and stay exact bigints until the
 * last step: the page trims for reading, never rounds up, and keeps the exact value for the
 * tooltip so every figure can be checked against the chain.
 */

/** Decimal places shown for an amount: fewer for big numbers, enough significant digits for small ones. */
export function placesFor(wei: string, decimals = 18): number {
  // Judged on the 18-decimal scale, so shares with more decimals read like token amounts.
  const value = decimals > 18 ? BigInt(wei) / 10n ** BigInt(decimals - 18) : BigInt(wei);
  if (value >= 10n ** 21n) return 2; // 1,000 and up
  if (value >= 10n ** 18n) return 4;
  if (value === 0n) return 0;
  // Below one: keep four significant digits (0.0031, 0.00004218).
  const digits = value.toString().length; // 18 digits = 0.1…, 17 = 0.01…
  return Math.min(18, 18 - digits + 4);
}

/** "1,234.56" / "0.0031": a readable amount, trimmed never rounded. */
export function amountText(wei: string, decimals = 18): string {
  return formatUnits(wei, decimals, placesFor(wei, decimals));
}

/** "1,234.56 HRTH" */
export function amountWithSymbol(wei: string, symbol: string): string {
  return `${amountText(wei)} ${symbol}`;
}

/** The exact figure for a tooltip: every decimal and the wei. */
export function exactText(wei: string, symbol: string, decimals = 18): string {
  if (decimals !== 18) return `${formatUnits(wei, decimals, decimals)} ${symbol} (${BigInt(wei).toLocaleString('en-US')} base units)`;
  return `${weiToDecimalText(wei)} ${symbol} (${BigInt(wei).toLocaleString('en-US')} wei)`;
}

export { percentText } from '../../../../common/percent.ts';

/** Basis points as a percentage: 2500 → "25 %", 50 → "0.5 %". */
export function bpsText(bps: number): string {
  return `${Number((bps / 100).toFixed(2))} %`;
}

/** A token amount in ETH at the pair's price (ETH wei per whole token), exact in wei. */
export function tokenToEthWei(tokenWei: string, priceEthPerToken: string): string {
  return ((BigInt(tokenWei) * BigInt(priceEthPerToken)) / 10n ** 18n).toString();
}

/** When an unbonding balance can be withdrawn, relative to `now` and as a date. */
export function releaseText(releaseAt: number, now: number): { relative: string; absolute: string; ready: boolean } {
  const seconds = Math.round((releaseAt - now) / 1000);
  return {
    relative: seconds <= 0 ? 'ready to withdraw' : `in ${formatDuration(seconds)}`,
    absolute: formatTimestamp(releaseAt),
    ready: seconds <= 0,
  };
}

/** "7 days", "36 hours", "45 minutes": a delay in words. */
export function delayText(seconds: number): string {
  if (seconds >= 2 * 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400} days`;
  if (seconds >= 2 * 3_600) return `${Math.round(seconds / 3_600)} hours`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
  return `${seconds} seconds`;
}

export type Health = { level: 'none' | 'safe' | 'watch' | 'risk' | 'liquidatable'; word: string; tone: 'idle' | 'ok' | 'warn' | 'error' };

/** The health factor in one word, so the gauge's colour is never the only signal. */
export function healthLevel(factor: number | null): Health {
  if (factor === null) return { level: 'none', word: 'No debt', tone: 'idle' };
  if (factor < 1) return { level: 'liquidatable', word: 'Can be liquidated', tone: 'error' };
  if (factor < 1.2) return { level: 'risk', word: 'At risk', tone: 'error' };
  if (factor < 1.5) return { level: 'watch', word: 'Watch', tone: 'warn' };
  return { level: 'safe', word: 'Safe', tone: 'ok' };
}

export type AmountProblem = string | null;

/**
 * Checks an amount typed in whole tokens before anything is asked of core: core checks
 * again, but a plain message here saves a round trip and says exactly what to fix.
 */
export function checkAmount(text: string, options: { allowAll?: boolean } = {}): AmountProblem {
  const value = text.trim();
  if (value === '') return 'Enter an amount.';
  if (options.allowAll && value.toLowerCase() === 'all') return null;
  if (value.startsWith('-')) return 'Enter an amount above zero: it cannot be negative.';
  if (!/^\d+(\.\d+)?$/.test(value)) return `Enter a number such as 1.5 (digits and one point${options.allowAll ? ', or "all"' : ''}).`;
  const fraction = value.split('.')[1] ?? '';
  if (fraction.length > 18) return 'Use at most 18 decimal places.';
  if (/^0*(\.0*)?$/.test(value)) return 'Enter an amount above zero.';
  return null;
}
