/**
 * Amounts people type, checked before anything is read or signed, and amounts shown back to
 * them. Every refusal is a HearthError with a code a program can test and a sentence a
 * person can act on.
 */
import { HearthError } from '../../common/errors.ts';

export const WAD = 10n ** 18n;
const DECIMALS = 18;

/** Whole units (e.g. "1.5") to base units; refuses empty, non-numbers, negatives, zero and over-precise input. */
export function parseAmount(text: string, what: string): bigint {
  const t = text.trim();
  if (t === '') throw new HearthError('bad_amount', `Enter an amount of ${what}.`);
  if (/^-/.test(t)) throw new HearthError('bad_amount', `The amount of ${what} cannot be negative (${t}).`);
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && (m[2] ?? '') === ''))
    throw new HearthError('bad_amount', `"${t.slice(0, 40)}" is not a number; enter an amount of ${what} like 12.5.`);
  const frac = m[2] ?? '';
  if (frac.length > DECIMALS)
    throw new HearthError('bad_amount', `${what} has at most ${DECIMALS} decimals; "${t.slice(0, 40)}" has ${frac.length}.`);
  const wei = BigInt(m[1] || '0') * WAD + BigInt((frac + '0'.repeat(DECIMALS)).slice(0, DECIMALS) || '0');
  if (wei === 0n) throw new HearthError('bad_amount', `The amount of ${what} must be more than zero.`);
  return wei;
}

/** "all" (any case) or an amount. */
export function parseAmountOrAll(text: string, what: string): bigint | 'all' {
  return text.trim().toLowerCase() === 'all' ? 'all' : parseAmount(text, what);
}

/** Base units as whole units for people: up to `digits` decimals, trailing zeros dropped, thousands separated. */
export function formatUnits(wei: bigint, digits = 4): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const whole = (abs / WAD).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (abs % WAD).toString().padStart(DECIMALS, '0').slice(0, digits).replace(/0+$/, '');
  const text = frac ? `${whole}.${frac}` : whole;
  if (text === '0' && abs > 0n) return `${negative ? '-' : ''}<0.${'0'.repeat(Math.max(0, digits - 1))}1`;
  return `${negative ? '-' : ''}${text}`;
}

/** `amount` less `bps` basis points, rounded down: the least accepted after slippage. */
export function lessBps(amount: bigint, bps: number): bigint {
  return (amount * BigInt(10_000 - bps)) / 10_000n;
}

/** A basis-point or percentage input checked at the service boundary too (the service is callable without IPC). */
export function checkSlippage(bps: number): number {
  if (!Number.isInteger(bps) || bps < 0 || bps > 5_000)
    throw new HearthError('bad_amount', `Slippage must be a whole number of basis points from 0 to 5000, not ${String(bps)}.`);
  return bps;
}

/** Integer square root (Newton), for sqrt(reserve0 · reserve1). */
export function sqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('sqrt of a negative number');
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) {
      // Newton from above converges; step down past any float overshoot.
      while (x * x > n) x--;
      while ((x + 1n) * (x + 1n) <= n) x++;
      return x;
    }
    x = y;
  }
}

/** A 1e18-fixed rate as a plain number. */
export function wadToNumber(wad: bigint): number {
  return Number(wad) / 1e18;
}
