import { useCallback } from 'react';
import type { Settings } from '../../../common/settings.ts';
import { useHearth } from './context.tsx';

export interface SettingField<T> {
  /** Core's current value; undefined until settings have loaded. */
  value: T | undefined;
  saving: boolean;
  error: string | null;
  /** Sends the change to core; the control shows the new value once core confirms it. */
  set: (value: T) => Promise<boolean>;
}

/**
 * One settings field, wired to the store: what a settings section needs for each control.
 * e.g. `const theme = useSetting('general', 'theme')`.
 */
export function useSetting<S extends keyof Settings, F extends keyof Settings[S] & string>(section: S, field: F): SettingField<Settings[S][F]> {
  const path = `${section}.${field}`;
  const value = useHearth((state) => (state.settings ? state.settings[section][field] : undefined));
  const saving = useHearth((state) => state.saving[path] === true);
  const error = useHearth((state) => state.fieldErrors[path] ?? null);
  const update = useHearth((state) => state.updateSettings);
  const set = useCallback((next: Settings[S][F]) => update({ [section]: { [field]: next } }), [update, section, field]);
  return { value, saving, error, set };
}
