import { z } from 'zod';
import { call } from '../define.ts';
import { addressText, baseUnits, txRecordView } from './chain.ts';

export const walletAccount = z.object({
  index: z.number().int().nonnegative(),
  address: addressText,
  label: z.string(),
});
export type WalletAccount = z.infer<typeof walletAccount>;

export const assetBalance = z.object({
  /** 'native' or the token contract address. */
  asset: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  balance: baseUnits,
});
export type AssetBalance = z.infer<typeof assetBalance>;

/**
 * Everything the renderer may know about the wallet: public data only. Key material,
 * the mnemonic (after creation's one-time display) and the keystore never cross IPC.
 */
export const walletStatus = z.object({
  exists: z.boolean(),
  locked: z.boolean(),
  kind: z.enum(['mnemonic', 'privateKey']).nullable(),
  accounts: z.array(walletAccount),
  selected: addressText.nullable(),
  /** A created mnemonic is waiting for the user to confirm they wrote it down. */
  pendingBackup: z.boolean(),
  keychain: z.object({ available: z.boolean(), enabled: z.boolean() }),
  /** When the wallet locks itself if left alone (ms since epoch), null when locked. */
  autoLockAt: z.number().int().nullable(),
  networkId: z.string(),
  chainId: z.number().int(),
  balances: z.array(assetBalance),
  balancesBlock: z.number().int().nullable(),
  /** The devnet's "Get test funds" action is available. */
  faucet: z.boolean(),
});
export type WalletStatus = z.infer<typeof walletStatus>;

const password = z.string().min(8, 'must be at least 8 characters').max(1024);
const empty = z.object({}).strict().prefault({});

export const importInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnemonic'), mnemonic: z.string().max(1000), password }).strict(),
  z.object({ kind: z.literal('privateKey'), privateKey: z.string().max(200), password }).strict(),
  z
    .object({ kind: z.literal('keystore'), json: z.string().max(100_000), keystorePassword: z.string().max(1024), password })
    .strict(),
]);
export type ImportInput = z.infer<typeof importInput>;

export const sendInput = z
  .object({
    to: z.string().trim().max(100),
    /** Decimal amount in whole units, e.g. "1.5". */
    amount: z.string().trim().max(80),
    /** 'native' or a token address from the wallet's balances. */
    asset: z.string().max(64).default('native'),
  })
  .strict();

export const sendPreview = z.object({
  from: addressText,
  to: addressText,
  asset: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  amount: baseUnits,
  gasLimit: baseUnits,
  maxFeePerGas: baseUnits,
  maxPriorityFeePerGas: baseUnits,
  /** Worst-case fee: gasLimit × maxFeePerGas. */
  maxFeeWei: baseUnits,
  /** Likely fee at the current base fee. */
  estimatedFeeWei: baseUnits,
  nativeSymbol: z.string(),
});
export type SendPreview = z.infer<typeof sendPreview>;

export const walletCalls = {
  'wallet:status': call(empty, walletStatus),
  /** Makes a new mnemonic and returns it this once; nothing is written until wallet:confirm. */
  'wallet:create': call(
    z.object({ password }).strict(),
    z.object({ mnemonic: z.string(), confirmWords: z.array(z.number().int().nonnegative()) }),
  ),
  /** Proves the mnemonic was written down (the words at `confirmWords`), then saves the wallet. */
  'wallet:confirm': call(z.object({ words: z.array(z.string().max(32)).max(24) }).strict(), walletStatus),
  'wallet:cancel-create': call(empty, walletStatus),
  'wallet:import': call(importInput, walletStatus),
  'wallet:unlock': call(
    z.object({ password: z.string().max(1024).optional(), useKeychain: z.boolean().optional() }).strict(),
    walletStatus,
  ),
  'wallet:lock': call(empty, walletStatus),
  /** A freshly encrypted keystore JSON (new salt) for a backup file; needs the password. */
  'wallet:export': call(z.object({ password }).strict(), z.object({ filename: z.string(), json: z.string() })),
  'wallet:add-account': call(z.object({ label: z.string().trim().max(40).optional() }).strict().prefault({}), walletStatus),
  'wallet:select-account': call(z.object({ address: addressText }).strict(), walletStatus),
  'wallet:set-keychain': call(z.object({ enabled: z.boolean(), password: z.string().max(1024).optional() }).strict(), walletStatus),
  'wallet:preview-send': call(sendInput, sendPreview),
  'wallet:send': call(sendInput, txRecordView),
  /** Devnet only: native currency and tokens from a development account. */
  'wallet:get-test-funds': call(empty, z.array(txRecordView)),
};

export const walletEvents = {
  'wallet:status': walletStatus,
};
