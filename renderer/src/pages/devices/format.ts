/** Display helpers for the Devices page. */

export const dash = '–';

export function gib(mib: number | null | undefined): string {
  if (mib === null || mib === undefined) return dash;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

export function unit(v: number | null | undefined, suffix: string, digits = 0): string {
  return v === null || v === undefined ? dash : `${v.toFixed(digits)}${suffix}`;
}

/** value / max as 0..1, or null when either is unknown. */
export function ratio(value: number | null | undefined, max: number | null | undefined): number | null {
  if (value === null || value === undefined || !max) return null;
  return value / max;
}

export function score(ips: number): string {
  return ips >= 100 ? ips.toFixed(0) : ips >= 10 ? ips.toFixed(1) : ips.toFixed(2);
}
