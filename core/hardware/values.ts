/**
 * Cell-level helpers shared by the nvidia-smi, rocm-smi and systeminformation parsers:
 * every "missing" spelling becomes null, units are stripped, nothing throws.
 */

/** Spellings tools use for a value they cannot give, compared in lower case without brackets. */
const MISSING = new Set([
  '',
  'n/a',
  'na',
  'not supported',
  'unknown error',
  'unknown',
  'none',
  'requested functionality has been deprecated',
  'insufficient permissions',
  'not available in wddm driver model',
  'gpu is lost',
  'no data',
]);

/** True when a cell means "no value" (N/A, [N/A], [Not Supported], ...). */
export function isMissing(raw: string | null | undefined): boolean {
  if (raw === null || raw === undefined) return true;
  const s = raw.trim().replace(/^\[(.*)\]$/, '$1').trim().toLowerCase();
  // rocm-smi says e.g. "N/A (Secondary die)".
  return MISSING.has(s) || s.startsWith('n/a ');
}

/** The trimmed text of a cell, or null when it is missing. */
export function text(raw: string | null | undefined): string | null {
  if (isMissing(raw)) return null;
  return (raw as string).trim();
}

/**
 * A number from a cell such as "8192 MiB", "71.15 W", "35 %", "(500Mhz)", "45 C".
 * Returns null for missing values and for anything that is not a finite number.
 */
export function num(raw: string | null | undefined): number | null {
  const s = text(raw);
  if (s === null) return null;
  const m = /^\(?\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-z%/]*)\s*\)?$/i.exec(s);
  if (!m || m[1] === undefined) return null;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : null;
}

/** A memory size in MiB from "8192 MiB", "8 GiB", "512 KiB" or a bare MiB number. */
export function mib(raw: string | null | undefined): number | null {
  const s = text(raw);
  if (s === null) return null;
  const v = num(s);
  if (v === null) return null;
  if (/gib$/i.test(s)) return v * 1024;
  if (/kib$/i.test(s)) return v / 1024;
  if (/\bb$/i.test(s) && !/ib$/i.test(s)) return v / 1048576;
  return v;
}

/** An integer, or null. */
export function int(raw: string | null | undefined): number | null {
  const v = num(raw);
  return v === null ? null : Math.trunc(v);
}

/**
 * Normalises a PCI bus id to nvidia-smi's long form "00000000:01:00.0" (upper-case hex),
 * so ids from nvidia-smi, rocm-smi ("0000:07:00.0") and sysfs match each other.
 */
export function normalizeBusId(raw: string | null | undefined): string | null {
  const s = text(raw);
  if (s === null) return null;
  const m = /^(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(s);
  if (!m) return s.toUpperCase();
  const domain = (m[1] ?? '0').padStart(8, '0');
  return `${domain}:${m[2]!.padStart(2, '0')}:${m[3]!.padStart(2, '0')}.${m[4]}`.toUpperCase();
}

/** A value clamped into a sane range, or null when it falls outside (a driver glitch). */
export function inRange(v: number | null, min: number, max: number): number | null {
  if (v === null) return null;
  return v >= min && v <= max ? v : null;
}
