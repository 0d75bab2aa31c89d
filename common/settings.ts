import { z } from 'zod';
import { hardwareSettings } from './hardware.ts';
import { schedulerSettings, schedulerSettingsPatch } from './scheduler.ts';
import { deploymentSchema } from './contracts/addresses.ts';

/**
 * Everything the user can set, one section per capability. Every field has a default
 * so a missing or older file still yields complete settings. A change that is not
 * purely additive bumps SETTINGS_VERSION and adds a migration in core/settings.
 */
export const SETTINGS_VERSION = 1;

export const generalSettings = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  launchAtLogin: z.boolean().default(false),
  /** The master switch: off silences every notification below. */
  notifications: z.boolean().default(true),
  /** Each kind of notification on its own (core/notifications). */
  notifyFirstPayment: z.boolean().default(true),
  notifyAttention: z.boolean().default(true),
  notifyWalletLocked: z.boolean().default(true),
  /** The "Hearth keeps earning in the tray" notice has been shown (it is shown once ever). */
  trayNoticeShown: z.boolean().default(false),
});

/** A token whose balance the wallet shows on a network. */
export const tokenSettings = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  symbol: z.string().min(1).max(12),
  decimals: z.number().int().min(0).max(36),
});

/** A chain the user added by RPC URL; its chain id is checked against the node before use. */
export const networkSettings = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/),
  name: z.string().min(1).max(60),
  chainId: z.number().int().positive(),
  rpcUrls: z.array(z.url({ protocol: /^https?$/ })).min(1).max(5),
  explorerUrl: z.url({ protocol: /^https?$/ }).optional(),
  tokens: z.array(tokenSettings).max(20).default([]),
  /** The protocol's addresses file on this network; without it the market is not available there. */
  deployment: deploymentSchema.optional(),
});
export type NetworkSettings = z.output<typeof networkSettings>;

export const walletSettings = z.object({
  /** Minutes without wallet use before the keys are dropped from memory. */
  autoLockMinutes: z.number().int().min(1).max(24 * 60).default(15),
  /** Unlock with the OS keychain instead of the password where the shell has one. */
  useKeychain: z.boolean().default(false),
  /** Id of the active network: 'devnet' (the local chain) or one of `networks`. */
  network: z.string().min(1).max(32).default('devnet'),
  networks: z.array(networkSettings).max(20).default([]),
  /** Blocks after inclusion before a transaction counts as confirmed. */
  confirmations: z.number().int().min(1).max(64).default(1),
});

/** Decimal token amounts typed by the user ("0.001"), kept as text so nothing is rounded. */
export const decimalText = z.string().trim().regex(/^\d{1,30}(\.\d{1,18})?$/, 'a decimal amount such as 0.001');

/** A first-run step: done, skipped for now (shown again on the Overview), or still to do. */
export const onboardingStep = z.enum(['todo', 'done', 'skipped']);

export const marketSettings = z.object({
  /** Take paid jobs at all; off leaves practice work only. */
  enabled: z.boolean().default(true),
  /** Lowest price per inference unit Hearth accepts, in whole tokens. */
  minPricePerUnit: decimalText.default('0'),
  /** What a kWh costs the user, in whole tokens; with a device's power draw it makes a job's electricity cost. */
  electricityPerKwh: decimalText.nullable().default(null),
  /** Claim staking rewards when they are worth more than the gas. */
  claimRewards: z.boolean().default(true),
  /** First-run steps (flat, so a patch of one step leaves the others alone). The wallet step is read from the wallet itself. */
  onboardingProvider: onboardingStep.default('todo'),
  onboardingRules: onboardingStep.default('todo'),
});
export type MarketSettings = z.output<typeof marketSettings>;

/**
 * The patch schema of a section: every field optional and, unlike `.partial()`, without
 * its default, so fields a patch leaves out stay as they are instead of being reset.
 */
export function sectionPatch<S extends z.ZodRawShape>(section: z.ZodObject<S>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(section.shape)) {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    shape[key] = inner.optional();
  }
  return z.object(shape).strict() as unknown as z.ZodObject<{ [K in keyof S]: z.ZodOptional<S[K]> }>;
}

export const settingsSchema = z.object({
  general: generalSettings.prefault({}),
  hardware: hardwareSettings.prefault({}),
  wallet: walletSettings.prefault({}),
  scheduler: schedulerSettings.prefault({}),
  market: marketSettings.prefault({}),
});
export type Settings = z.output<typeof settingsSchema>;

/** An update names sections and, inside each, only the fields it changes. */
export const settingsPatch = z
  .object({
    general: sectionPatch(generalSettings).optional(),
    hardware: sectionPatch(hardwareSettings).optional(),
    wallet: sectionPatch(walletSettings).optional(),
    scheduler: schedulerSettingsPatch.optional(),
    market: sectionPatch(marketSettings).optional(),
  })
  .strict();
export type SettingsPatch = z.input<typeof settingsPatch>;

/** Complete default settings. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
