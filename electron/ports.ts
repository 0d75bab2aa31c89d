import { join } from 'node:path';
import { Notification, safeStorage, utilityProcess, type App } from 'electron';
import type { AppPaths, Launcher, Notifier, SecretStore } from '../core/ports.ts';

/** OS keychain through safeStorage; unavailable on Linux without a secret service. */
export const safeStorageSecrets: SecretStore = {
  available: () => safeStorage.isEncryptionAvailable(),
  encrypt: (plain) => Promise.resolve(safeStorage.encryptString(plain)),
  decrypt: (sealed) => Promise.resolve(safeStorage.decryptString(sealed)),
};

/** Workers run in Electron's utilityProcess: a Node child that is not a renderer. */
export const utilityLauncher: Launcher = {
  launch(spec) {
    const child = utilityProcess.fork(spec.modulePath, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      execArgv: spec.execArgv ?? [],
      serviceName: 'Hearth worker',
      stdio: 'inherit',
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      kill: () => {
        child.kill();
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    };
  },
};

export function electronNotifier(enabled: () => boolean): Notifier {
  return {
    notify(note) {
      if (enabled() && Notification.isSupported()) new Notification({ title: note.title, body: note.body }).show();
    },
  };
}

export function electronPaths(app: App): AppPaths {
  const dataDir = process.env.HEARTH_DATA_DIR ?? app.getPath('userData');
  return { dataDir, cacheDir: join(dataDir, 'cache'), logsDir: app.getPath('logs') };
}
