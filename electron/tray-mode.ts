/**
 * Tray mode, composed: the tray icon, closing the window to the tray, and start at login
 * kept in step with the `general.launchAtLogin` setting while Hearth runs. Called by the
 * desktop shell once core is up and before the first window exists.
 */
import type * as Electron from 'electron';
import { settingsSchema } from '../common/settings.ts';
import type { Ports } from '../core/ports.ts';
import type { Provider } from '../core/provider.ts';
import { keepRunningOnClose, type CloseToTrayEdges } from './close-to-tray.ts';
import { applyLaunchAtLogin, type LoginItemDeps } from './login-item.ts';
import { startTray, type HearthTray, type TrayEdges } from './tray.ts';

export type TrayModeEdges = TrayEdges & {
  app: CloseToTrayEdges['app'] & Pick<Electron.App, 'quit' | 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>;
};

export interface TrayModeShell {
  provider: Provider;
  ports: Ports;
  showWindow(): void;
}

export interface TrayModeOptions {
  /** dist/electron/tray */
  iconDir: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
}

export function startTrayMode(edges: TrayModeEdges, shell: TrayModeShell, options: TrayModeOptions): { tray: HearthTray | null; stop(): void } {
  const { provider, ports } = shell;
  const { logger } = ports;
  let tray: HearthTray | null = null;
  try {
    tray = startTray(edges, { iconDir: options.iconDir, platform: options.platform, core: provider, logger, open: () => shell.showWindow(), quit: () => edges.app.quit() });
  } catch (error) {
    // No tray (a Linux desktop without a status area): closing the window must then really close it.
    logger.warn('no tray icon: closing the window will quit Hearth', { error: String(error) });
  }
  if (tray) keepRunningOnClose(edges, { core: provider, notifier: ports.notifier, logger });

  const loginDeps: LoginItemDeps = {
    app: edges.app,
    platform: options.platform,
    env: options.env,
    home: options.home,
    execPath: options.execPath,
    packaged: edges.app.isPackaged,
    appPath: edges.app.getAppPath(),
  };
  let applied: boolean | null = null;
  // One change at a time, so a quick on-off cannot finish writing the file after removing it.
  let queue: Promise<void> = Promise.resolve();
  const syncLogin = (wanted: boolean): void => {
    if (wanted === applied) return;
    applied = wanted;
    queue = queue.then(() =>
      applyLaunchAtLogin(loginDeps, wanted).catch((error: unknown) => {
        applied = null;
        logger.warn('could not change start at login', { error: String(error) });
      }),
    );
  };
  void provider.dispatch('settings:get', {}).then((reply) => {
    const parsed = reply.ok ? settingsSchema.safeParse(reply.value) : null;
    if (parsed?.success) syncLogin(parsed.data.general.launchAtLogin);
  });
  const unsubscribe = provider.onEvent((channel, payload) => {
    if (channel !== 'settings:changed') return;
    const parsed = settingsSchema.safeParse(payload);
    if (parsed.success) syncLogin(parsed.data.general.launchAtLogin);
  });

  return {
    tray,
    stop() {
      unsubscribe();
      tray?.destroy();
    },
  };
}
