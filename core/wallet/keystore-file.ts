import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { z } from 'zod';
import { HearthError } from '../../common/errors.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

/**
 * The wallet file: public metadata (accounts, selection) beside one standard Web3 Secret
 * Storage keystore (scrypt). Only the `keystore` field is secret, and it is encrypted.
 */
export const walletFile = z.object({
  format: z.literal('hearth-wallet'),
  version: z.literal(1),
  kind: z.enum(['mnemonic', 'privateKey']),
  /** Address of the key inside the keystore (account 0); checked on every read. */
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  accounts: z.array(z.object({ index: z.number().int().nonnegative(), address: z.string(), label: z.string() })).min(1),
  selected: z.string(),
  keystore: z.string().min(2),
});
export type WalletFile = z.infer<typeof walletFile>;

export const WALLET_DIR = 'wallet';
const MAIN = 'keystore.json';
const PREVIOUS = 'keystore.prev.json';

export interface LoadedWallet {
  file: WalletFile;
  /** Which copy was used: 'previous' means the main one was missing or unreadable. */
  source: 'main' | 'previous';
}

/** Parses and checks one wallet file's text; undefined when it is not a valid wallet file. */
export function parseWalletFile(text: string): WalletFile | undefined {
  try {
    const file = walletFile.parse(JSON.parse(text));
    const inner = JSON.parse(file.keystore) as { address?: unknown };
    if (typeof inner.address !== 'string') return undefined;
    // The keystore's own address field must agree with the metadata, or the file is torn.
    if (getAddress(`0x${inner.address.replace(/^0x/i, '')}`) !== getAddress(file.address)) return undefined;
    return file;
  } catch {
    return undefined;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads the wallet from `<dataDir>/wallet/`. The main file wins when valid; otherwise the
 * previous version kept by an interrupted save. Undefined when there is no wallet.
 */
export async function loadWalletFile(dataDir: string): Promise<LoadedWallet | undefined> {
  const dir = join(dataDir, WALLET_DIR);
  const main = await readIfExists(join(dir, MAIN));
  const mainFile = main === undefined ? undefined : parseWalletFile(main);
  if (mainFile) return { file: mainFile, source: 'main' };
  const previous = await readIfExists(join(dir, PREVIOUS));
  const previousFile = previous === undefined ? undefined : parseWalletFile(previous);
  if (previousFile) return { file: previousFile, source: 'previous' };
  if (main !== undefined || previous !== undefined) {
    throw new HearthError(
      'wallet_file_corrupt',
      `The wallet file in ${dir} cannot be read. Restore it from your keystore backup or import your recovery phrase.`,
    );
  }
  return undefined;
}

/**
 * Saves the wallet so that a crash at any point leaves a readable wallet: the current file
 * is first copied aside, the new one is written atomically, read back and checked
 * (`verify` may decrypt it), and only then is the copy removed. A failed check restores
 * the previous version and throws.
 */
export async function saveWalletFile(
  dataDir: string,
  file: WalletFile,
  verify: (written: WalletFile) => Promise<boolean> = async () => true,
): Promise<void> {
  const dir = join(dataDir, WALLET_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const mainPath = join(dir, MAIN);
  const previousPath = join(dir, PREVIOUS);
  const current = await readIfExists(mainPath);
  const currentValid = current !== undefined && parseWalletFile(current) !== undefined;
  if (currentValid) await writeFileAtomic(previousPath, current, 0o600, 'the wallet');
  try {
    await writeFileAtomic(mainPath, `${JSON.stringify(file, null, 2)}\n`, 0o600, 'the wallet');
  } catch (error) {
    // The main file is untouched (atomic write); the copy kept aside is not needed and takes space.
    if (currentValid) await unlink(previousPath).catch(() => undefined);
    throw error;
  }
  const back = await readIfExists(mainPath);
  const parsed = back === undefined ? undefined : parseWalletFile(back);
  if (!parsed || parsed.keystore !== file.keystore || !(await verify(parsed))) {
    if (currentValid) await writeFileAtomic(mainPath, current, 0o600, 'the wallet');
    throw new HearthError('wallet_write_failed', `The wallet could not be saved in ${dir}: it did not read back intact. Nothing was changed.`);
  }
  await unlink(previousPath).catch(() => undefined);
}

/** Removes temp files left by a save that was interrupted before its rename. */
export async function cleanWalletTemps(dataDir: string): Promise<void> {
  const dir = join(dataDir, WALLET_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((name) => name.endsWith('.tmp')).map((name) => unlink(join(dir, name)).catch(() => undefined)));
}

/** Path of the sealed password the OS keychain wraps (present only when enabled). */
export function keychainPath(dataDir: string): string {
  return join(dataDir, WALLET_DIR, 'keychain.bin');
}

