import { formatUnits } from '../wallet/format.ts';

/** The market token. The devnet calls it HRTH; amounts cross IPC as decimal strings of wei. */
export const TOKEN_SYMBOL = 'HRTH';
export const TOKEN_DECIMALS = 18;

/** "12.5 HRTH" from wei; `maxFraction` trims, never rounds up. */
export function formatToken(wei: string, maxFraction = 4): string {
  return `${formatUnits(wei, TOKEN_DECIMALS, maxFraction)} ${TOKEN_SYMBOL}`;
}

/** The exact amount, every decimal kept ("0.012345678901234567 HRTH"): for a tooltip beside a trimmed figure. */
export function exactToken(wei: string): string {
  return `${weiToDecimalText(wei)} ${TOKEN_SYMBOL}`;
}

/** Native gas in wei as ETH with enough places to show small devnet fees. */
export function formatGas(wei: string): string {
  return `${formatUnits(wei, 18, 6)} ETH`;
}

/** Whole-token decimal text ("0.001") to wei, or null when it is not a plain decimal. */
export function parseTokenAmount(text: string): bigint | null {
  const match = /^(\d{1,30})(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * 10n ** 18n + BigInt(fraction.padEnd(18, '0'));
}

/** Wei to the plain decimal the register form sends ("100", "0.5"): no grouping, no trimming of precision. */
export function weiToDecimalText(wei: string): string {
  const digits = wei.replace(/^0+/, '') || '0';
  const padded = digits.padStart(19, '0');
  const whole = padded.slice(0, -18);
  const fraction = padded.slice(-18).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Wei to a float in whole tokens, for charts only (never for amounts the user acts on). */
export function weiToNumber(wei: string): number {
  return Number(BigInt(wei)) / 1e18;
}

/** "3 min ago", "2 h ago", or a date for older times. */
export function formatAgo(ms: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
