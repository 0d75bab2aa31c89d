import { useEffect } from 'react';
import { useHearth } from './context.tsx';

export type ThemeChoice = 'system' | 'light' | 'dark';
const THEME_CACHE_KEY = 'hearth.theme';

/** Resolves "system" through prefers-color-scheme. */
export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)').matches : true;
}

/**
 * Applies a theme before React renders, from the last choice this browser saw, so the
 * window does not flash the wrong colours while settings load.
 */
export function applyCachedTheme(): void {
  let cached: string | null;
  try {
    cached = window.localStorage.getItem(THEME_CACHE_KEY);
  } catch {
    // Storage can be disabled (private windows, policies): fall back to the system theme.
    cached = null;
  }
  const choice: ThemeChoice = cached === 'light' || cached === 'dark' ? cached : 'system';
  document.documentElement.dataset['theme'] = resolveTheme(choice, prefersDark());
}

/** Keeps <html data-theme> in step with `general.theme` and, for "system", with the OS. */
export function useThemeFromSettings(): void {
  const choice = useHearth((state) => state.settings?.general.theme ?? null);
  useEffect(() => {
    if (choice === null) return undefined;
    const apply = () => {
      document.documentElement.dataset['theme'] = resolveTheme(choice, prefersDark());
    };
    apply();
    try {
      window.localStorage.setItem(THEME_CACHE_KEY, choice);
    } catch {
      // Not being able to cache only costs a flash of the default theme next time.
    }
    if (choice !== 'system' || typeof window.matchMedia !== 'function') return undefined;
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [choice]);
}
