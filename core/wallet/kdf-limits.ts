import { HearthError } from '../../common/errors.ts';

/**
 * A keystore names its own key-derivation cost, and decrypting it pays that cost before the
 * password is even checked: a hostile file with scrypt N = 2^30 asks for 128 GiB, one with
 * PBKDF2 at 2^40 rounds freezes the engine for hours. Hearth refuses anything above what
 * real wallets write (geth's standard is scrypt N = 2^18, r = 8, p = 1; ethers writes 2^17;
 * PBKDF2 keystores use 2^18 rounds), with room to spare but a bounded price.
 */
export const KDF_LIMITS = {
  scryptMaxN: 2 ** 18,
  scryptMaxR: 8,
  scryptMaxP: 4,
  pbkdf2MaxRounds: 2 ** 20,
  maxDkLen: 64,
} as const;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null);

function refuse(detail: string): never {
  throw new HearthError(
    'keystore_unsupported',
    `This keystore asks for a key-derivation cost Hearth will not pay (${detail}): a file like this can stall or exhaust the computer. ` +
      'Export the key again from its wallet with standard settings, or import the recovery phrase instead.',
  );
}

/** Throws `keystore_unsupported` unless the keystore's KDF is scrypt or PBKDF2 within KDF_LIMITS. */
export function checkKdfLimits(json: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    refuse('it is not JSON');
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const crypto = (record['crypto'] ?? record['Crypto']) as Record<string, unknown> | undefined;
  const kdf = typeof crypto?.['kdf'] === 'string' ? crypto['kdf'].toLowerCase() : '';
  const params = (typeof crypto?.['kdfparams'] === 'object' && crypto['kdfparams'] !== null ? crypto['kdfparams'] : {}) as Record<string, unknown>;
  const dkLen = num(params['dklen']);
  if (dkLen === null || dkLen > KDF_LIMITS.maxDkLen) refuse(`key length ${String(params['dklen'])}`);
  if (kdf === 'scrypt') {
    const n = num(params['n']);
    const r = num(params['r']);
    const p = num(params['p']);
    if (n === null || n > KDF_LIMITS.scryptMaxN || (n & (n - 1)) !== 0) refuse(`scrypt N = ${String(params['n'])}, at most ${KDF_LIMITS.scryptMaxN}`);
    if (r === null || r > KDF_LIMITS.scryptMaxR) refuse(`scrypt r = ${String(params['r'])}, at most ${KDF_LIMITS.scryptMaxR}`);
    if (p === null || p > KDF_LIMITS.scryptMaxP) refuse(`scrypt p = ${String(params['p'])}, at most ${KDF_LIMITS.scryptMaxP}`);
    return;
  }
  if (kdf === 'pbkdf2') {
    const c = num(params['c']);
    if (c === null || c > KDF_LIMITS.pbkdf2MaxRounds) refuse(`PBKDF2 with ${String(params['c'])} rounds, at most ${KDF_LIMITS.pbkdf2MaxRounds}`);
    if (params['prf'] !== 'hmac-sha256') refuse(`PBKDF2 with ${String(params['prf'])}`);
    return;
  }
  refuse(`key derivation "${kdf || 'none'}"`);
}
