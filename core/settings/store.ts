import { readFile, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HearthError } from '../../common/errors.ts';
import { describeIssues } from '../../common/ipc/dispatch.ts';
import { SETTINGS_VERSION, defaultSettings, settingsPatch, settingsSchema, type Settings, type SettingsPatch } from '../../common/settings.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { migrations, type RawSettings } from './migrations.ts';

const fileShape = z.object({ version: z.number().int().nonnegative(), settings: z.record(z.string(), z.unknown()) });

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Promise<Settings>;
  subscribe(listener: (settings: Settings) => void): () => void;
  /** Problems met while loading (shown to the user once, never fatal). */
  readonly warnings: readonly string[];
}

/** Brings an older document up to SETTINGS_VERSION, one numbered step at a time. */
export function migrate(version: number, raw: RawSettings): RawSettings {
  let current = raw;
  for (let v = version; v < SETTINGS_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no settings migration from version ${v}`);
    current = step(current);
  }
  return current;
}

/**
 * Loads settings from `<dataDir>/settings.json`. A missing file means defaults; an
 * unreadable or invalid one is kept aside as `settings.json.bad-<time>` and replaced by
 * defaults, with a warning, so a bad file never stops Hearth from starting.
 */
export async function openSettingsStore(dataDir: string, now: () => number = Date.now): Promise<SettingsStore> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'settings.json');
  const warnings: string[] = [];
  let settings = defaultSettings();
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    try {
      const file = fileShape.parse(JSON.parse(text));
      if (file.version > SETTINGS_VERSION) {
        throw new Error(`it was written by a newer Hearth (settings version ${file.version})`);
      }
      settings = settingsSchema.parse(migrate(file.version, file.settings));
    } catch (error) {
      const aside = `${path}.bad-${now()}`;
      await rename(path, aside);
      const reason = error instanceof z.ZodError ? describeIssues(error) : error instanceof Error ? error.message : String(error);
      warnings.push(`Your settings file could not be read (${reason}), so defaults are in use. The old file was kept as ${aside}.`);
    }
  }
  const listeners = new Set<(settings: Settings) => void>();
  // Updates are serialised so two quick changes cannot interleave their writes.
  let queue: Promise<unknown> = Promise.resolve();

  const write = (next: Settings): Promise<void> =>
    writeFileAtomic(path, `${JSON.stringify({ version: SETTINGS_VERSION, settings: next }, null, 2)}\n`, 0o600, 'your settings');

  return {
    warnings,
    get: () => settings,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(patch) {
      const run = async (): Promise<Settings> => {
        const parsedPatch = settingsPatch.safeParse(patch);
        if (!parsedPatch.success) throw new HearthError('bad_input', `Invalid settings: ${describeIssues(parsedPatch.error)}`);
        const merged: Record<string, unknown> = { ...settings };
        for (const [section, fields] of Object.entries(parsedPatch.data)) {
          if (fields === undefined) continue;
          merged[section] = { ...(settings as Record<string, Record<string, unknown>>)[section], ...fields };
        }
        const next = settingsSchema.safeParse(merged);
        if (!next.success) throw new HearthError('bad_input', `Invalid settings: ${describeIssues(next.error)}`);
        await write(next.data);
        settings = next.data;
        for (const listener of listeners) listener(settings);
        return settings;
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
