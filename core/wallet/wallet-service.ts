import { readFile, unlink } from 'node:fs/promises';
import { randomBytes, randomInt } from 'node:crypto';
import {
  HDNodeWallet,
  Mnemonic,
  Wallet,
  decryptKeystoreJson,
  encryptKeystoreJson,
  getAddress,
  isKeystoreJson,
  type KeystoreAccount,
  type TransactionLike,
} from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { ImportInput, WalletAccount } from '../../common/ipc/groups/wallet.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { Clock, Logger, SecretStore, TimerHandle } from '../ports.ts';
import { cleanWalletTemps, keychainPath, loadWalletFile, saveWalletFile, type WalletFile } from './keystore-file.ts';
import { checkKdfLimits } from './kdf-limits.ts';
import { PasswordGate } from './password-gate.ts';
import { useNativeScrypt } from './scrypt.ts';

/** BIP-44 Ethereum accounts: m/44'/60'/0'/0/<index>. */
const ACCOUNT_ROOT = "m/44'/60'/0'/0";
const CONFIRM_WORD_COUNT = 3;

export interface WalletServiceOptions {
  dataDir: string;
  clock: Clock;
  secrets: SecretStore;
  logger: Logger;
  autoLockMinutes: () => number;
  /**
   * Scrypt cost for new keystores. Tests lower it to stay fast; the app never passes it,
   * so real keystores use ethers' standard N = 2^17.
   */
  scryptN?: number;
  /** Called after every change the UI should hear about. */
  onChange: () => void;
}

/** What may leave core/wallet about the wallet itself (all public). */
export interface WalletCoreStatus {
  exists: boolean;
  locked: boolean;
  kind: 'mnemonic' | 'privateKey' | null;
  accounts: WalletAccount[];
  selected: string | null;
  pendingBackup: boolean;
  keychain: { available: boolean; enabled: boolean };
  autoLockAt: number | null;
}

/** Signs transactions for one account; the key never leaves this module. */
export interface TxSigner {
  readonly address: string;
  signTransaction(tx: TransactionLike): Promise<string>;
  /** EIP-191 personal message signature (a market result delivery). */
  signMessage(text: string): Promise<string>;
}

interface Unlocked {
  /** Account 0's key and, for mnemonic wallets, the root to derive further accounts. */
  keys: Map<string, Wallet | HDNodeWallet>;
  root: HDNodeWallet | undefined;
}

interface PendingCreate {
  phrase: string;
  password: string;
  confirmWords: number[];
}

function normalisePhrase(phrase: string): string {
  return phrase.trim().toLowerCase().split(/\s+/).join(' ');
}

function rootFromPhrase(phrase: string): HDNodeWallet {
  return HDNodeWallet.fromPhrase(phrase, undefined, ACCOUNT_ROOT);
}

/**
 * The only holder of key material in Hearth. Locked at start; unlocking decrypts the
 * keystore into memory, locking (by hand or after inactivity) drops it.
 */
export class WalletService {
  private file: WalletFile | undefined;
  private unlocked: Unlocked | undefined;
  private pending: PendingCreate | undefined;
  private keychainSealed = false;
  private timer: TimerHandle | undefined;
  private lockAt: number | null = null;
  private readonly passwords: PasswordGate;
  // Saves are serialised so two quick changes cannot interleave their writes.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WalletServiceOptions) {
    useNativeScrypt();
    this.passwords = new PasswordGate(options.clock);
  }

  /** Reads the wallet file (if any); the wallet stays locked. */
  async open(): Promise<void> {
    await cleanWalletTemps(this.options.dataDir);
    const loaded = await loadWalletFile(this.options.dataDir);
    this.file = loaded?.file;
    if (loaded?.source === 'previous') {
      this.options.logger.warn('wallet: main keystore unreadable, using the previous version');
      await this.serial(() => saveWalletFile(this.options.dataDir, loaded.file));
    }
    this.keychainSealed = await readFile(keychainPath(this.options.dataDir)).then(
      () => true,
      () => false,
    );
  }

  status(): WalletCoreStatus {
    const file = this.file;
    return {
      exists: file !== undefined,
      locked: this.unlocked === undefined,
      kind: file?.kind ?? null,
      accounts: file ? file.accounts.map((a) => ({ ...a })) : [],
      selected: file?.selected ?? null,
      pendingBackup: this.pending !== undefined,
      keychain: { available: this.options.secrets.available(), enabled: this.keychainSealed && this.options.secrets.available() },
      autoLockAt: this.unlocked ? this.lockAt : null,
    };
  }

  get isUnlocked(): boolean {
    return this.unlocked !== undefined;
  }

  /** Starts creation: a new 12-word mnemonic, returned once. Nothing is written yet. */
  create(password: string): { mnemonic: string; confirmWords: number[] } {
    this.requireNoWallet();
    // 128 bits of entropy: the usual 12-word phrase.
    const phrase = Mnemonic.fromEntropy(randomBytes(16)).phrase;
    const picks = new Set<number>();
    while (picks.size < CONFIRM_WORD_COUNT) picks.add(randomInt(12));
    const confirmWords = [...picks].sort((a, b) => a - b);
    this.pending = { phrase, password, confirmWords };
    this.options.onChange();
    return { mnemonic: phrase, confirmWords };
  }

  /** Checks the requested words of the pending mnemonic, then saves the wallet unlocked. */
  async confirm(words: string[]): Promise<void> {
    const pending = this.pending;
    if (!pending) {
      throw new HearthError('no_pending_wallet', 'There is no new wallet waiting for confirmation. Start again with Create wallet.');
    }
    const all = pending.phrase.split(' ');
    const expected = pending.confirmWords.map((i) => all[i]);
    const given = words.map((w) => w.trim().toLowerCase());
    if (given.length !== expected.length || given.some((w, i) => w !== expected[i])) {
      throw new HearthError(
        'backup_mismatch',
        `Those words do not match your recovery phrase (words ${pending.confirmWords.map((i) => i + 1).join(', ')}). Check what you wrote down and try again.`,
      );
    }
    await this.saveNew('mnemonic', rootFromPhrase(pending.phrase), pending.password);
    this.pending = undefined;
  }

  cancelCreate(): void {
    this.pending = undefined;
    this.options.onChange();
  }

  /** Imports a mnemonic, a raw private key or an encrypted keystore, re-encrypted with `password`. */
  async import(input: ImportInput): Promise<void> {
    this.requireNoWallet();
    if (input.kind === 'mnemonic') {
      const phrase = normalisePhrase(input.mnemonic);
      if (!Mnemonic.isValidMnemonic(phrase)) {
        throw new HearthError(
          'bad_mnemonic',
          'That recovery phrase is not valid: check that every word is spelled right and in order (12, 15, 18, 21 or 24 English words).',
        );
      }
      await this.saveNew('mnemonic', rootFromPhrase(phrase), input.password);
    } else if (input.kind === 'privateKey') {
      const text = input.privateKey.trim();
      let wallet: Wallet;
      try {
        if (!/^(0x)?[0-9a-fA-F]{64}$/.test(text)) throw new Error('shape');
        wallet = new Wallet(text.startsWith('0x') ? text : `0x${text}`);
      } catch {
        throw new HearthError('bad_private_key', 'That private key is not valid: it must be 64 hexadecimal characters (optionally starting with 0x).');
      }
      await this.saveNew('privateKey', wallet, input.password);
    } else {
      if (!isKeystoreJson(input.json)) {
        throw new HearthError('bad_keystore', 'That file is not an encrypted keystore (Web3 Secret Storage JSON). Choose the keystore file you exported.');
      }
      checkKdfLimits(input.json);
      let account: KeystoreAccount;
      try {
        account = await decryptKeystoreJson(input.json, input.keystorePassword);
      } catch {
        throw new HearthError('keystore_password', 'The keystore could not be decrypted with that password. Enter the password the keystore was saved with.');
      }
      if (account.mnemonic?.entropy) {
        const phrase = Mnemonic.fromEntropy(account.mnemonic.entropy).phrase;
        await this.saveNew('mnemonic', rootFromPhrase(phrase), input.password);
      } else {
        await this.saveNew('privateKey', new Wallet(account.privateKey), input.password);
      }
    }
  }

  /** Decrypts the keystore with the password, or with the keychain-sealed password. */
  async unlock(password: string | undefined, useKeychain = false): Promise<void> {
    const file = this.requireWallet();
    let secret = password;
    if (useKeychain || secret === undefined) {
      secret = await this.keychainPassword();
    }
    const account = await this.passwords.open(file, secret);
    this.unlocked = this.unlockedFrom(file, account);
    this.touch();
    this.options.onChange();
  }

  /** Drops every key from memory. */
  lock(): void {
    const wasUnlocked = this.unlocked !== undefined;
    this.unlocked = undefined;
    this.lockAt = null;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (wasUnlocked) this.options.onChange();
  }

  /** Restarts the inactivity timer; every deliberate wallet action calls this. */
  touch(): void {
    if (!this.unlocked) return;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    const ms = Math.max(1, this.options.autoLockMinutes()) * 60_000;
    this.lockAt = this.options.clock.now() + ms;
    this.timer = this.options.clock.setTimeout(() => {
      this.options.logger.info('wallet: locked after inactivity');
      this.lock();
    }, ms);
  }

  /** A freshly encrypted copy of the keystore (new salt and iv) for a backup file. */
  async exportKeystore(password: string): Promise<{ filename: string; json: string }> {
    const file = this.requireWallet();
    const account = await this.passwords.open(file, password);
    const json = await encryptKeystoreJson(account, password, this.encryptOptions());
    this.touch();
    const stamp = new Date(this.options.clock.now()).toISOString().replace(/[:.]/g, '-');
    return { filename: `hearth-keystore-${file.address.slice(2, 10).toLowerCase()}-${stamp}.json`, json };
  }

  /** Derives the next account from the mnemonic (unlocked mnemonic wallets only). */
  async addAccount(label?: string): Promise<void> {
    const file = this.requireWallet();
    const unlocked = this.requireUnlocked();
    if (file.kind !== 'mnemonic' || !unlocked.root) {
      throw new HearthError('single_account_wallet', 'This wallet was imported from a private key, so it has exactly one account. Import a recovery phrase to use several accounts.');
    }
    const index = Math.max(...file.accounts.map((a) => a.index)) + 1;
    const child = unlocked.root.deriveChild(index);
    const next: WalletFile = {
      ...file,
      accounts: [...file.accounts, { index, address: child.address, label: label || `Account ${index + 1}` }],
      selected: child.address,
    };
    await this.serial(() => saveWalletFile(this.options.dataDir, next));
    this.file = next;
    unlocked.keys.set(child.address, child);
    this.touch();
    this.options.onChange();
  }

  async selectAccount(address: string): Promise<void> {
    const file = this.requireWallet();
    const account = file.accounts.find((a) => a.address.toLowerCase() === address.toLowerCase());
    if (!account) throw new HearthError('unknown_account', `${address} is not one of this wallet's accounts.`);
    if (file.selected === account.address) return;
    const next = { ...file, selected: account.address };
    await this.serial(() => saveWalletFile(this.options.dataDir, next));
    this.file = next;
    this.options.onChange();
  }

  /** Seals the password with the OS keychain so unlocking needs no typing, or removes it. */
  async setKeychain(enabled: boolean, password: string | undefined): Promise<void> {
    const file = this.requireWallet();
    const path = keychainPath(this.options.dataDir);
    if (!enabled) {
      await unlink(path).catch(() => undefined);
      this.keychainSealed = false;
      this.options.onChange();
      return;
    }
    if (!this.options.secrets.available()) {
      throw new HearthError('keychain_unavailable', 'This system has no OS keychain Hearth can use, so the wallet password is the only way to unlock.');
    }
    if (password === undefined) throw new HearthError('password_required', 'Enter the wallet password to store it in the OS keychain.');
    await this.passwords.open(file, password);
    const sealed = await this.options.secrets.encrypt(password);
    await writeFileAtomic(path, sealed, 0o600, 'the keychain copy of the wallet password');
    this.keychainSealed = true;
    this.options.onChange();
  }

  /** A signer for one of the wallet's accounts; fails when the wallet is locked. */
  signer(address?: string): TxSigner {
    const file = this.requireWallet();
    const unlocked = this.requireUnlocked();
    const target = getAddress(address ?? file.selected);
    const key = unlocked.keys.get(target);
    if (!key) throw new HearthError('unknown_account', `${target} is not one of this wallet's accounts.`);
    return {
      address: target,
      signTransaction: async (tx) => {
        // Re-checked at signing time: the wallet may have locked since the signer was made.
        if (!this.unlocked) throw lockedError();
        return key.signTransaction(tx);
      },
      signMessage: async (text) => {
        if (!this.unlocked) throw lockedError();
        return key.signMessage(text);
      },
    };
  }

  selectedAddress(): string | undefined {
    return this.file?.selected;
  }

  private requireNoWallet(): void {
    if (this.file) {
      throw new HearthError('wallet_exists', 'Hearth already holds a wallet. Export a keystore backup first if you want to keep it; Hearth keeps one wallet at a time.');
    }
  }

  private requireWallet(): WalletFile {
    if (!this.file) throw new HearthError('no_wallet', 'There is no wallet yet. Create one or import a recovery phrase, private key or keystore.');
    return this.file;
  }

  private requireUnlocked(): Unlocked {
    if (!this.unlocked) throw lockedError();
    return this.unlocked;
  }

  private async keychainPassword(): Promise<string> {
    if (!this.options.secrets.available() || !this.keychainSealed) {
      throw new HearthError('password_required', 'Enter the wallet password to unlock it.');
    }
    try {
      return await this.options.secrets.decrypt(await readFile(keychainPath(this.options.dataDir)));
    } catch {
      throw new HearthError('keychain_failed', 'The OS keychain could not open the stored password. Unlock with your password instead.');
    }
  }

  private unlockedFrom(file: WalletFile, account: KeystoreAccount): Unlocked {
    const keys = new Map<string, Wallet | HDNodeWallet>();
    if (file.kind === 'mnemonic' && account.mnemonic?.entropy) {
      const root = rootFromPhrase(Mnemonic.fromEntropy(account.mnemonic.entropy).phrase);
      for (const a of file.accounts) {
        const child = root.deriveChild(a.index);
        keys.set(child.address, child);
      }
      return { keys, root };
    }
    const wallet = new Wallet(account.privateKey);
    keys.set(wallet.address, wallet);
    return { keys, root: undefined };
  }

  private encryptOptions() {
    return this.options.scryptN ? { scrypt: { N: this.options.scryptN } } : {};
  }

  private async saveNew(kind: 'mnemonic' | 'privateKey', key: Wallet | HDNodeWallet, password: string): Promise<void> {
    const first = key instanceof HDNodeWallet ? key.deriveChild(0) : key;
    const account: KeystoreAccount =
      key instanceof HDNodeWallet && key.mnemonic
        ? {
            address: first.address,
            privateKey: first.privateKey,
            mnemonic: { entropy: key.mnemonic.entropy, path: `${ACCOUNT_ROOT}/0`, locale: 'en' },
          }
        : { address: first.address, privateKey: first.privateKey };
    const keystore = await encryptKeystoreJson(account, password, this.encryptOptions());
    const file: WalletFile = {
      format: 'hearth-wallet',
      version: 1,
      kind,
      address: first.address,
      accounts: [{ index: 0, address: first.address, label: 'Account 1' }],
      selected: first.address,
      keystore,
    };
    await this.serial(() =>
      saveWalletFile(this.options.dataDir, file, async (written) => {
        // Proves the bytes on disk decrypt to the same key before the old copy goes.
        const back = await decryptKeystoreJson(written.keystore, password);
        return back.privateKey === first.privateKey;
      }),
    );
    this.file = file;
    this.unlocked = this.unlockedFrom(file, account);
    this.touch();
    this.options.onChange();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function lockedError(): HearthError {
  return new HearthError('wallet_locked', 'The wallet is locked. Unlock it with your password first.');
}
