import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { CONSOLE_LIMITS } from '../../../../common/ipc/groups/console.ts';
import { routeScriptStylesThroughCssom } from './script-styles.ts';
import { terminalFont, terminalTheme } from './terminal-theme.ts';

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The xterm the Console page draws into: themed from the tokens, fitted to its box. */
export interface TerminalScreen {
  /** Draws `data`; `drawn` runs once xterm has processed it (the moment to ack). */
  write(data: string, drawn: () => void): void;
  /** A line from Hearth itself (not the shell), dimmed. */
  note(text: string): void;
  reset(): void;
  focus(): void;
  size(): TerminalSize;
  dispose(): void;
}

export interface TerminalEvents {
  onInput(data: string): void;
  onResize(size: TerminalSize): void;
}

const clampSize = (cols: number, rows: number): TerminalSize => ({
  cols: Math.min(CONSOLE_LIMITS.maxCols, Math.max(CONSOLE_LIMITS.minCols, cols)),
  rows: Math.min(CONSOLE_LIMITS.maxRows, Math.max(CONSOLE_LIMITS.minRows, rows)),
});

/** Opens xterm in `host`; follows the host's size and the app's light/dark theme. */
export function openTerminal(host: HTMLElement, events: TerminalEvents): TerminalScreen {
  routeScriptStylesThroughCssom(host.ownerDocument);
  const term = new Terminal({
    theme: terminalTheme(host.ownerDocument),
    fontFamily: terminalFont(host.ownerDocument),
    fontSize: 13,
    lineHeight: 1.2,
    cursorBlink: true,
    scrollback: 5000,
    allowProposedApi: false,
    // Hearth's page handles the link policy; the terminal only draws text.
    linkHandler: null,
    // Programs' colours (ls, prompts) are nudged to WCAG AA against the theme's background.
    minimumContrastRatio: 4.5,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  const refit = (): void => {
    // A hidden or zero-sized host has no size to fit to.
    if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
  };
  refit();
  const inputSub = term.onData((data) => events.onInput(data));
  const resizeSub = term.onResize(({ cols, rows }) => events.onResize(clampSize(cols, rows)));
  const resizer = new ResizeObserver(() => refit());
  resizer.observe(host);
  // The theme lives in <html data-theme>; follow it while the page is open.
  const themer = new MutationObserver(() => {
    term.options.theme = terminalTheme(host.ownerDocument);
  });
  themer.observe(host.ownerDocument.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return {
    write: (data, drawn) => term.write(data, drawn),
    // Dimmed, and the cursor hidden: nothing reads keys any more.
    // Italic, not dim: xterm holds dim text to half the contrast, under WCAG's 4.5:1.
    note: (text) => term.write(`\r\n\x1b[3m${text}\x1b[23m\r\n\x1b[?25l`),
    reset: () => term.reset(),
    focus: () => term.focus(),
    size: () => clampSize(term.cols, term.rows),
    dispose() {
      resizer.disconnect();
      themer.disconnect();
      inputSub.dispose();
      resizeSub.dispose();
      term.dispose();
    },
  };
}
