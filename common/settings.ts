import { z } from 'zod';

/**
 * Everything the user can set, one section per capability. Every field has a default
 * so a missing or older file still yields complete settings. A change that is not
 * purely additive bumps SETTINGS_VERSION and adds a migration in core/settings.
 */
export const SETTINGS_VERSION = 1;

export const generalSettings = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  launchAtLogin: z.boolean().default(false),
  notifications: z.boolean().default(true),
});

export const settingsSchema = z.object({
  general: generalSettings.prefault({}),
});
export type Settings = z.output<typeof settingsSchema>;

/** An update names sections and, inside each, only the fields it changes. */
export const settingsPatch = z
  .object({
    general: generalSettings.partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.input<typeof settingsPatch>;

/** Complete default settings. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
