/**
 * Closing the window keeps Hearth earning in the tray: the window hides instead of
 * closing, and the first time ever a notice says where Hearth went (remembered in
 * settings as general.trayNoticeShown). Quit — from the tray, the app menu, an update
 * restart or the OS logging out — really quits: `before-quit` comes first in each case.
 */
import type * as Electron from 'electron';
import { settingsSchema } from '../common/settings.ts';
import type { Logger, Notifier } from '../core/ports.ts';
import type { Provider } from '../core/provider.ts';

export const TRAY_NOTICE = {
  title: 'Hearth is still running',
  body: 'It keeps earning in the background while you are away. Open it or quit from the Hearth icon in the tray.',
};

export interface CloseToTrayEdges {
  app: { on(event: 'before-quit', listener: () => void): unknown; on(event: 'browser-window-created', listener: (event: Electron.Event, window: ClosableWindow) => void): unknown };
}

/** The window members used; `on` is spelled out for the one event (the real one returns `this`). */
export type ClosableWindow = Pick<Electron.BrowserWindow, 'hide'> & {
  on(event: 'close', listener: (event: Electron.Event) => void): unknown;
};

export interface CloseToTrayOptions {
  core: Pick<Provider, 'dispatch'>;
  notifier: Notifier;
  logger: Logger;
}

export function keepRunningOnClose(edges: CloseToTrayEdges, options: CloseToTrayOptions): { quitting(): boolean } {
  let quitting = false;
  let noticeShown: boolean | null = null;
  edges.app.on('before-quit', () => {
    quitting = true;
  });

  async function noticeOnce(): Promise<void> {
    if (noticeShown === null) {
      const reply = await options.core.dispatch('settings:get', {});
      const parsed = reply.ok ? settingsSchema.safeParse(reply.value) : null;
      noticeShown = parsed?.success ? parsed.data.general.trayNoticeShown : false;
    }
    if (noticeShown) return;
    noticeShown = true;
    options.notifier.notify(TRAY_NOTICE);
    const saved = await options.core.dispatch('settings:update', { general: { trayNoticeShown: true } });
    if (!saved.ok) options.logger.warn('could not remember the tray notice', { message: saved.message });
  }

  edges.app.on('browser-window-created', (_event, window) => {
    window.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      window.hide();
      void noticeOnce();
    });
  });
  return { quitting: () => quitting };
}
