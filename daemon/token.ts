import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token for this run only; never written anywhere but the 0600 runtime file. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time (hashing first so length differences leak nothing either). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The address that opens the UI of a daemon on `port`: the only place the token is put in a URL. */
export function accessUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`;
}
