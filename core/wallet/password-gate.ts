import { decryptKeystoreJson, getAddress, type KeystoreAccount } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { Clock } from '../ports.ts';
import { checkKdfLimits } from './kdf-limits.ts';
import type { WalletFile } from './keystore-file.ts';

/** Wrong passwords allowed before unlocking starts to make the caller wait. */
const FREE_ATTEMPTS = 5;

/**
 * Every check of the wallet password (unlock, export, keychain) goes through one gate: one
 * at a time, since checked in parallel 40 guesses would all start before the first failure
 * set the wait; and past a few honest typos each failure doubles the wait, on the clock.
 */
export class PasswordGate {
  private failures = 0;
  private retryAt = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly clock: Clock) {}

  /** The keystore's account when `password` opens it; `unlock_throttled` or `wrong_password` otherwise. */
  open(file: WalletFile, password: string): Promise<KeystoreAccount> {
    const check = this.queue.then(() => this.openNow(file, password));
    this.queue = check.catch(() => undefined);
    return check;
  }

  private async openNow(file: WalletFile, password: string): Promise<KeystoreAccount> {
    // The file on disk is checked too: a keystore swapped in by another program must not stall the engine.
    checkKdfLimits(file.keystore);
    const wait = this.retryAt - this.clock.now();
    if (wait > 0) {
      throw new HearthError('unlock_throttled', `Too many wrong passwords. Try again in ${Math.ceil(wait / 1000)} seconds.`);
    }
    try {
      const account = await decryptKeystoreJson(file.keystore, password);
      if (getAddress(account.address) !== getAddress(file.address)) throw new Error('address mismatch');
      this.failures = 0;
      this.retryAt = 0;
      return account;
    } catch {
      // scrypt already makes each guess slow; the wait makes many of them slower still.
      this.failures++;
      if (this.failures >= FREE_ATTEMPTS) this.retryAt = this.clock.now() + 1000 * 2 ** Math.min(this.failures - FREE_ATTEMPTS, 8);
      throw new HearthError('wrong_password', 'That password does not unlock this wallet. Check it and try again (passwords are case-sensitive).');
    }
  }
}
