import type { ITheme } from '@xterm/xterm';

/** ANSI colours tuned for each app theme; the surface, text and accent come from the design tokens. */
const ANSI: Record<'light' | 'dark', ITheme> = {
  dark: {
    black: '#2a272f',
    red: '#f2616a',
    green: '#41d18f',
    yellow: '#f4b740',
    blue: '#7aa7ff',
    magenta: '#d58cf0',
    cyan: '#5fd3d8',
    white: '#d9d5de',
    brightBlack: '#726d7a',
    brightRed: '#ff858c',
    brightGreen: '#6ee3aa',
    brightYellow: '#ffcd6b',
    brightBlue: '#9dbeff',
    brightMagenta: '#e5aaf7',
    brightCyan: '#8ae4e8',
    brightWhite: '#ffffff',
  },
  light: {
    black: '#1d1a20',
    red: '#c92a35',
    green: '#11804f',
    yellow: '#946106',
    blue: '#2559c4',
    magenta: '#9a3fb8',
    cyan: '#0f7f86',
    white: '#8b8592',
    brightBlack: '#5d5764',
    brightRed: '#e0434e',
    brightGreen: '#16935c',
    brightYellow: '#b7790a',
    brightBlue: '#2f6fe0',
    brightMagenta: '#b24fd3',
    brightCyan: '#12939b',
    brightWhite: '#1d1a20',
  },
};

/** The terminal's colours for the theme the page shows now (`<html data-theme>`). */
export function terminalTheme(doc: Document = document): ITheme {
  const mode = doc.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
  const css = getComputedStyle(doc.documentElement);
  const token = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    ...ANSI[mode],
    background: token('--color-surface', mode === 'light' ? '#ffffff' : '#19181c'),
    foreground: token('--color-text', mode === 'light' ? '#1d1a20' : '#efedf2'),
    cursor: token('--color-accent', '#ff8a3d'),
    cursorAccent: token('--color-surface', '#19181c'),
    selectionBackground: mode === 'light' ? 'rgba(228, 98, 14, 0.22)' : 'rgba(255, 138, 61, 0.3)',
    scrollbarSliderBackground: mode === 'light' ? 'rgba(29, 26, 32, 0.18)' : 'rgba(239, 237, 242, 0.16)',
    scrollbarSliderHoverBackground: mode === 'light' ? 'rgba(29, 26, 32, 0.3)' : 'rgba(239, 237, 242, 0.28)',
    scrollbarSliderActiveBackground: mode === 'light' ? 'rgba(29, 26, 32, 0.4)' : 'rgba(239, 237, 242, 0.38)',
  };
}

/** The monospace stack from the tokens. */
export function terminalFont(doc: Document = document): string {
  return getComputedStyle(doc.documentElement).getPropertyValue('--font-mono').trim() || 'monospace';
}
