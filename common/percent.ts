/**
 * A rate or share for people: 0.0417 → "4.17 %". A small non-zero value keeps two significant
 * digits ("0.00025 %") instead of reading as a false "0.00 %". Shared by the UI and the CLI.
 */
export function percentText(rate: number, places = 2): string {
  const pct = rate * 100;
  if (pct > 0 && pct < 10 ** -places) return `${pct.toFixed(Math.min(8, 1 - Math.floor(Math.log10(pct))))} %`;
  return `${pct.toFixed(places)} %`;
}
