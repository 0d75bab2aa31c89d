import { z } from 'zod';
import { call } from '../define.ts';

/** A 0x-prefixed 20-byte address as text (checksum is checked in core, not here). */
export const addressText = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 40-hex-digit address');
/** Integer amounts (wei, token base units) travel as decimal strings: JSON has no bigint. */
export const baseUnits = z.string().regex(/^\d+$/);

export const devnetState = z.enum(['off', 'starting', 'deploying', 'ready', 'failed']);
export type DevnetState = z.infer<typeof devnetState>;

export const networkInfo = z.object({
  id: z.string(),
  name: z.string(),
  chainId: z.number().int(),
  /** Built-in local chain that Hearth runs itself. */
  devnet: z.boolean(),
  rpcUrls: z.array(z.string()),
  explorerUrl: z.string().nullable(),
  nativeSymbol: z.string(),
  /** The protocol is known on this network (local chain: deployed; others: an addresses file was given). */
  protocol: z.boolean().default(false),
});
export type NetworkInfo = z.infer<typeof networkInfo>;

export const chainStatus = z.object({
  network: networkInfo,
  /** connecting: no answer yet; ready: answering with the right chain id. */
  connection: z.enum(['connecting', 'ready', 'unreachable', 'wrong_chain']),
  devnet: z.object({ state: devnetState, error: z.string().nullable(), contracts: z.boolean() }),
  blockNumber: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type ChainStatus = z.infer<typeof chainStatus>;

export const txStatus = z.enum(['pending', 'confirmed', 'failed', 'dropped']);
export type TxStatus = z.infer<typeof txStatus>;

/** A transaction the manager sent, as the UI sees it (no signed bytes). */
export const txRecordView = z.object({
  id: z.string(),
  chainId: z.number().int(),
  from: addressText,
  to: addressText,
  valueWei: baseUnits,
  nonce: z.number().int().nonnegative(),
  label: z.string(),
  status: txStatus,
  hash: z.string(),
  /** Every hash broadcast for this nonce, oldest first (speed-up and cancel add one). */
  hashes: z.array(z.string()),
  maxFeePerGas: baseUnits,
  maxPriorityFeePerGas: baseUnits,
  blockNumber: z.number().int().nullable(),
  confirmations: z.number().int().nonnegative(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  error: z.string().nullable(),
  explorerUrl: z.string().nullable(),
});
export type TxRecordView = z.infer<typeof txRecordView>;

export const networkInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    chainId: z.number().int().positive(),
    rpcUrls: z.array(z.url({ protocol: /^https?$/ })).min(1).max(5),
    explorerUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

const empty = z.object({}).strict().prefault({});
const byId = z.object({ id: z.string().min(1).max(64) }).strict();

export const chainCalls = {
  'chain:status': call(empty, chainStatus),
  'chain:networks': call(empty, z.array(networkInfo.extend({ active: z.boolean() }))),
  /** Adds a network after checking that every RPC URL answers with the given chain id. */
  'chain:add-network': call(networkInput, networkInfo),
  'chain:remove-network': call(byId, z.object({ removed: z.boolean() })),
  /**
   * Gives a network the protocol's addresses file (the JSON the deploy script writes); checked
   * against its schema, the network's chain id and the contracts' code before it is saved.
   */
  'chain:set-deployment': call(z.object({ id: z.string().min(1).max(64), json: z.string().max(100_000) }).strict(), networkInfo),
  'chain:select-network': call(byId, chainStatus),
  'chain:transactions': call(empty, z.array(txRecordView)),
  /** Re-sends a pending transaction with the same nonce and higher fees. */
  'chain:speed-up': call(byId, txRecordView),
  /** Replaces a pending transaction with a 0-value send to self at the same nonce. */
  'chain:cancel': call(byId, txRecordView),
};

export const chainEvents = {
  'chain:status': chainStatus,
  'chain:transaction': txRecordView,
};
