import { join } from 'node:path';
import type * as Electron from 'electron';
import { createProvider, type Provider, type ProviderOptions } from '../core/provider.ts';
import type { Ports } from '../core/ports.ts';
import { startApiServer, type ApiServer } from '../daemon/api-server.ts';
import { newToken } from '../daemon/token.ts';
import { removeRuntimeFile, writeRuntimeFile } from '../daemon/runtime-file.ts';
import { serveAppRequest } from './app-protocol.ts';
import { bindIpc } from './ipc-binding.ts';
import { APP_ORIGIN, APP_SCHEME, isAllowedExternalUrl, isAppUrl } from './security.ts';

/** The parts of the `electron` module the shell uses; tests hand in fakes of exactly these. */
export type ElectronEdges = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'shell'>;

export interface DesktopOptions {
  /** Folder holding index.html and assets (dist/renderer). */
  rendererDir: string;
  /** Bundled preload script (dist/electron/preload.cjs). */
  preloadPath: string;
  /** Builds core's ports once Electron is ready (paths need app.getPath). */
  ports: () => Ports;
  provider?: ProviderOptions;
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

/**
 * The desktop shell: one instance, one secure window serving the renderer from app://,
 * core behind checked IPC, and the same token-guarded loopback API as the daemon so the
 * `hearth` CLI can find the app. Returns false when another instance already runs.
 */
export function startDesktop(electron: ElectronEdges, options: DesktopOptions): boolean {
  const { app, BrowserWindow, ipcMain, protocol, session, shell } = electron;
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  let window: Electron.BrowserWindow | null = null;
  let provider: Provider | null = null;
  let api: ApiServer | null = null;
  let ports: Ports | null = null;

  const createWindow = (): void => {
    window = new BrowserWindow({
      width: 1180,
      height: 780,
      minWidth: 900,
      minHeight: 600,
      show: false,
      backgroundColor: '#14110f',
      title: 'Hearth',
      webPreferences: secureWebPreferences(options.preloadPath),
    });
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => (window = null));
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  };

  // Opens the window, or brings back the one hidden in the tray (or never made: a hidden start).
  const showWindow = (): void => {
    if (!window) return createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', () => {
    // Before core is up there is nothing to show yet; the window comes when it is.
    if (provider) showWindow();
  });

  // Every web contents: no navigation away from the app, no new windows (allowlisted
  // https links open in the user's browser instead), no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(options.rendererDir, request.url));
    ports = options.ports();
    provider = await createProvider(ports, options.provider);
    bindIpc(ipcMain, provider, () => window?.webContents ?? null);
    const token = newToken();
    api = await startApiServer({ provider, token, logger: ports.logger });
    await writeRuntimeFile(ports.paths.dataDir, { shell: 'desktop', pid: process.pid, port: api.port, token, startedAt: Date.now() });
    // --- tray mode (electron/tray-mode.ts) and a hidden start at login ---
    options.extras?.({ provider, ports, showWindow });
    if (!options.hidden) createWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void (async () => {
      await api?.close();
      await provider?.stop();
      if (ports) await removeRuntimeFile(ports.paths.dataDir, process.pid);
      app.exit(0);
    })();
  });
  return true;
}

export const defaultDesktopPaths = (bundleDir: string): Pick<DesktopOptions, 'rendererDir' | 'preloadPath'> => ({
  rendererDir: join(bundleDir, '..', 'renderer'),
  preloadPath: join(bundleDir, 'preload.cjs'),
});
