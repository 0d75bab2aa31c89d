// An independent model of the LendingVault's interest arithmetic, to check the contract's
// numbers exactly (same integer rounding) at a chosen block timestamp.
import type { Contract } from 'ethers';

export const WAD = 10n ** 18n;
export const BPS = 10_000n;
const YEAR = 365n * 86_400n;

export interface Curve {
  base: bigint; // per second
  slope1: bigint;
  slope2: bigint;
  kink: bigint;
}

export async function curveOf(vault: Contract): Promise<Curve> {
  const get = async (name: string) => (await vault.getFunction(name)()) as bigint;
  return {
    base: await get('baseRatePerSecond'),
    slope1: await get('slope1PerSecond'),
    slope2: await get('slope2PerSecond'),
    kink: await get('kink'),
  };
}

/** Per-second curve from annual parameters, as the constructor derives it. */
export function curveFromYear(p: { baseRatePerYear: bigint; slope1PerYear: bigint; slope2PerYear: bigint; kink: bigint }): Curve {
  return { base: p.baseRatePerYear / YEAR, slope1: p.slope1PerYear / YEAR, slope2: p.slope2PerYear / YEAR, kink: p.kink };
}

export function rateAt(c: Curve, u: bigint): bigint {
  if (u <= c.kink) return c.base + (c.slope1 * u) / c.kink;
  return c.base + c.slope1 + (c.slope2 * (u - c.kink)) / (WAD - c.kink);
}

export function utilizationOf(cash: bigint, debt: bigint): bigint {
  return debt === 0n ? 0n : (debt * WAD) / (cash + debt);
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The borrow index at `timestamp`, from the stored state and the vault's cash. */
export async function indexAt(vault: Contract, token: Contract, timestamp: bigint): Promise<bigint> {
  const [index, last, total] = (await vault.getFunction('accrualState')()) as [bigint, bigint, bigint];
  const cash = (await token.getFunction('balanceOf')(await vault.getAddress())) as bigint;
  if (timestamp === last || total === 0n) return index;
  const rate = rateAt(await curveOf(vault), utilizationOf(cash, (total * index) / WAD));
  return index + (index * rate * (timestamp - last)) / WAD;
}

/** A provider's debt at `timestamp` (rounded up, as the vault rounds it). */
export async function debtAt(vault: Contract, token: Contract, provider: string, timestamp: bigint): Promise<bigint> {
  const scaled = (await vault.getFunction('scaledDebtOf')(provider)) as bigint;
  return ceilDiv(scaled * (await indexAt(vault, token, timestamp)), WAD);
}
