/** Base units (a decimal string) to a readable decimal, trimmed to `maxFraction` places. */
export function formatUnits(value: string, decimals: number, maxFraction = 4): string {
  const negative = value.startsWith('-');
  const digits = (negative ? value.slice(1) : value).replace(/^0+/, '') || '0';
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  let fraction = padded.slice(padded.length - decimals).slice(0, maxFraction).replace(/0+$/, '');
  if (fraction === '' && digits !== '0' && whole === '0' && decimals > 0) fraction = '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** 0x1234…abcd */
export function shortHash(hash: string, keep = 6): string {
  return hash.length <= keep * 2 + 2 ? hash : `${hash.slice(0, keep + 2)}…${hash.slice(-keep)}`;
}

/** Wei to gwei with two decimals, for fee previews. */
export function formatGwei(wei: string): string {
  return formatUnits(wei, 9, 2);
}
