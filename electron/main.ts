import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { createProvider, type Provider } from '../core/provider.ts';
import { createLogNotifier, createStderrLogger, systemClock, unknownActivity } from '../core/node-ports.ts';
import { startApiServer, type ApiServer } from '../daemon/api-server.ts';
import { newToken } from '../daemon/token.ts';
import { removeRuntimeFile, writeRuntimeFile } from '../daemon/runtime-file.ts';
import { serveAppRequest } from './app-protocol.ts';
import { bindIpc } from './ipc-binding.ts';
import { electronPaths, safeStorageSecrets, utilityLauncher } from './ports.ts';
import { APP_ORIGIN, APP_SCHEME, isAllowedExternalUrl, isAppUrl } from './security.ts';

// Bundled to dist/electron/main.cjs; the renderer is built to dist/renderer.
const rendererDir = join(__dirname, '..', 'renderer');
const logger = createStderrLogger();

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let provider: Provider | null = null;
  let api: ApiServer | null = null;

  const createWindow = (): void => {
    window = new BrowserWindow({
      width: 1180,
      height: 780,
      minWidth: 900,
      minHeight: 600,
      show: false,
      backgroundColor: '#14110f',
      title: 'Hearth',
      webPreferences: {
        preload: join(__dirname, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => (window = null));
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  // Every web contents: no navigation away from the app, no new windows (https links
  // on the allowlist open in the user's browser instead), no webviews.
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
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request.url));

    const paths = electronPaths(app);
    provider = await createProvider({
      shell: 'desktop',
      version: app.getVersion(),
      clock: systemClock,
      logger,
      paths,
      secrets: safeStorageSecrets,
      launcher: utilityLauncher,
      notifier: createLogNotifier(logger),
      activity: unknownActivity,
    });
    bindIpc(ipcMain, provider, () => window?.webContents ?? null);
    // The same token-guarded loopback API the daemon serves, so `hearth status` finds the app.
    const token = newToken();
    api = await startApiServer({ provider, token, logger });
    await writeRuntimeFile(paths.dataDir, { shell: 'desktop', pid: process.pid, port: api.port, token, startedAt: Date.now() });
    createWindow();
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
      await removeRuntimeFile(electronPaths(app).dataDir, process.pid);
      app.exit(0);
    })();
  });
}
