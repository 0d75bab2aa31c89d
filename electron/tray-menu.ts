/**
 * The tray menu as Electron's template: the state and its reason (disabled lines), today's
 * earnings, pause or resume, open, quit. Pure: the actions are handed in.
 */
import type * as Electron from 'electron';
import type { TrayView } from './tray-state.ts';

export interface TrayActions {
  pauseHour(): void;
  pauseTomorrow(): void;
  resume(): void;
  open(): void;
  quit(): void;
}

/** Menu lines stay short: long reasons are cut at a word with an ellipsis. */
export const MAX_LINE = 70;

export function shortLine(text: string, max = MAX_LINE): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:\u2014-]+$/, '')}…`;
}

export function trayMenuTemplate(view: TrayView, today: string | null, actions: TrayActions): Electron.MenuItemConstructorOptions[] {
  const paused = view.state === 'paused';
  return [
    { id: 'state', label: `Hearth: ${view.title}`, enabled: false },
    { id: 'reason', label: shortLine(view.reason), enabled: false },
    { id: 'today', label: today === null ? 'Earned today: not known yet' : `Earned today: ${today}`, enabled: false },
    { type: 'separator' },
    ...(paused
      ? [{ id: 'resume', label: 'Resume', click: () => actions.resume() }]
      : [
          { id: 'pause-hour', label: 'Pause for 1 hour', click: () => actions.pauseHour() },
          { id: 'pause-tomorrow', label: 'Pause until tomorrow', click: () => actions.pauseTomorrow() },
        ]),
    { type: 'separator' },
    { id: 'open', label: 'Open Hearth', click: () => actions.open() },
    { id: 'quit', label: 'Quit Hearth', click: () => actions.quit() },
  ];
}
