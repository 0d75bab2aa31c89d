/** Wei arithmetic on decimal strings: amounts exceed 2^63, so they are summed as BigInt. */

/** Sum of decimal wei strings (nulls and empty entries skipped), as a decimal string. */
export function sumWei(values: Iterable<string | null | undefined>): string {
  let total = 0n;
  for (const value of values) if (value) total += BigInt(value);
  return total.toString();
}

/** The comma-joined list SQLite's group_concat gives, summed; '0' for none. */
export function sumWeiList(list: string | null | undefined): string {
  return list ? sumWei(list.split(',')) : '0';
}

/** What the provider receives for `gross` after a fee of `feeBps` basis points, rounded as the JobMarket contract does. */
export function afterFee(gross: bigint, feeBps: number): bigint {
  return gross - (gross * BigInt(feeBps)) / 10_000n;
}
