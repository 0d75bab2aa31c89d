import { join } from 'node:path';
import type * as Electron from 'electron';
import { createProvider, type Provider, type ProviderOptions } from '../core/provider.ts';
import type { Logger, Ports } from '../core/ports.ts';
import { startApiServer, type ApiServer } from '../daemon/api-server.ts';
import { newToken } from '../daemon/token.ts';
import { removeRuntimeFile, writeRuntimeFile } from '../daemon/runtime-file.ts';
import { serveAppRequest } from './app-protocol.ts';
import type { AppEdges, PermissionEdges, WindowClassEdges, WindowEdges } from './edges.ts';
import { bindIpc } from './ipc-binding.ts';
import { APP_ORIGIN, APP_SCHEME } from './security.ts';
import { guardWebContents, permissionCheckHandler, permissionRequestHandler } from './window-guards.ts';
import { MIN_WINDOW_CONTENT_SIZE, WINDOW_CONTENT_SIZE } from '../common/window-size.ts';

/**
 * The parts of the `electron` module the shell uses, typed against Electron's declarations
 * (see edges.ts); tests hand in fakes of exactly these, main.ts the real module.
 */
export interface ElectronEdges {
  app: AppEdges;
  BrowserWindow: WindowClassEdges;
  ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;
  protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { readonly defaultSession: PermissionEdges };
  shell: Pick<Electron.Shell, 'openExternal'>;
  dialog: Pick<Electron.Dialog, 'showErrorBox'>;
}

export interface DesktopOptions {
  /** Folder holding index.html and assets (dist/renderer). */
  rendererDir: string;
  /** Bundled preload script (dist/electron/preload.cjs). */
  preloadPath: string;
  /** Builds core's ports once Electron is ready (paths need app.getPath). */
  ports: () => Ports;
  provider?: ProviderOptions;
  /** Where a failed start is logged before ports (and their logger) exist. */
  logger?: Logger;
  /** Started at login with --hidden: no window until the user asks for one (tray only). */
  hidden?: boolean;
  /** Tray mode, login item (electron/tray-mode.ts): started once core is up, before any window. */
  extras?: (shell: { provider: Provider; ports: Ports; showWindow: () => void }) => void;
}

/** The secure window settings every Hearth window uses. */
export const secureWebPreferences = (preload: string): Electron.WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
});

/** The text of the dialog shown when Hearth cannot start, saying what to do. */
export function startFailureText(error: unknown): { title: string; content: string } {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    title: 'Hearth could not start',
    content:
      `${reason}\n\nHearth has quit so that it can be started again. Start it again; if this message comes back, fix what it names ` +
      '(for example free disk space or the permissions of the data folder), or start Hearth from a terminal to see the full log and report it.',
  };
}

/**
 * The desktop shell: one instance, one secure window serving the renderer from app://,
 * core behind checked IPC, and the same token-guarded loopback API as the daemon so the
 * `hearth` CLI can find the app. Returns false when another instance already runs.
 */
export function startDesktop(electron: ElectronEdges, options: DesktopOptions): boolean {
  const { app, BrowserWindow, ipcMain, protocol, session, shell, dialog } = electron;
  // Must happen before `ready`; protocol.handle, the session and windows only after it.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  let window: WindowEdges | null = null;
  let provider: Provider | null = null;
  let api: ApiServer | null = null;
  let ports: Ports | null = null;
  let started = false;
  let quitting = false;
  let exitCode = 0;

  const createWindow = (): void => {
    const created = new BrowserWindow({
      width: WINDOW_CONTENT_SIZE.width,
      height: WINDOW_CONTENT_SIZE.height,
      minWidth: MIN_WINDOW_CONTENT_SIZE.width,
      minHeight: MIN_WINDOW_CONTENT_SIZE.height,
      // The sizes above are the page's own (the minimum included), not the frame's.
      useContentSize: true,
      show: false,
      backgroundColor: '#14110f',
      title: 'Hearth',
      webPreferences: secureWebPreferences(options.preloadPath),
    });
    window = created;
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      if (window === created) window = null;
    });
    void created.loadURL(`${APP_ORIGIN}/index.html`);
  };
  /**
   * Brings the window forward: the one hidden in the tray, or a new one when none is open
   * (a hidden start at login; macOS keeps running windowless). Nothing before core is up.
   */
  const showWindow = (): void => {
    if (!started || quitting) return;
    if (!window) return createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', showWindow);
  // macOS: clicking the Dock icon with no window open re-creates it.
  app.on('activate', () => {
    if (started && !quitting && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, (url) => shell.openExternal(url)));

  const start = async (): Promise<void> => {
    session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
    session.defaultSession.setPermissionCheckHandler(permissionCheckHandler);
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(options.rendererDir, request.url));
    ports = options.ports();
    provider = await createProvider(ports, options.provider);
    bindIpc(ipcMain, provider, () => window?.webContents ?? null);
    const token = newToken();
    api = await startApiServer({ provider, token, logger: ports.logger });
    await writeRuntimeFile(ports.paths.dataDir, { shell: 'desktop', pid: process.pid, port: api.port, token, startedAt: Date.now() });
    started = true;
    // --- tray mode (electron/tray-mode.ts) and a hidden start at login ---
    options.extras?.({ provider, ports, showWindow });
    if (!options.hidden) createWindow();
  };
  // A failed start must not leave a windowless process holding the single-instance lock
  // (a relaunch would only poke it): say what happened, let go of the lock, and quit.
  const failStart = (error: unknown): void => {
    const logger = ports?.logger ?? options.logger;
    logger?.error('Hearth could not start', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    exitCode = 1;
    try {
      const { title, content } = startFailureText(error);
      dialog.showErrorBox(title, content);
    } finally {
      app.releaseSingleInstanceLock();
      app.quit();
    }
  };
  void app.whenReady().then(start).catch(failStart);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void (async () => {
      // Each step on its own: one failing must not keep the others (or the exit) from running.
      await api?.close().catch(() => undefined);
      await provider?.stop().catch(() => undefined);
      if (ports) await removeRuntimeFile(ports.paths.dataDir, process.pid).catch(() => undefined);
      app.exit(exitCode);
    })();
  });
  return true;
}

export const defaultDesktopPaths = (bundleDir: string): Pick<DesktopOptions, 'rendererDir' | 'preloadPath'> => ({
  rendererDir: join(bundleDir, '..', 'renderer'),
  preloadPath: join(bundleDir, 'preload.cjs'),
});
