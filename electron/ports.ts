import { join } from 'node:path';
import type * as Electron from 'electron';
import type { AppPaths, Launcher, SecretStore } from '../core/ports.ts';

// Each factory takes the Electron object it wraps, so tests hand in fakes typed against
// Electron's declarations and main-wiring.ts hands in the real ones.

/** OS keychain through safeStorage; unavailable on Linux without a secret service. */
export function safeStorageSecrets(safeStorage: Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>): SecretStore {
  return {
    available: () => safeStorage.isEncryptionAvailable(),
    // async: safeStorage throws synchronously (no keychain, a foreign ciphertext); callers get a rejection.
    encrypt: async (plain) => safeStorage.encryptString(plain),
    decrypt: async (sealed) => safeStorage.decryptString(sealed),
  };
}

/** A utility process as the launcher uses it. */
export type UtilityChildEdges = Pick<Electron.UtilityProcess, 'pid' | 'postMessage' | 'kill'> & {
  on: {
    (event: 'message', listener: (message: unknown) => void): unknown;
    (event: 'exit', listener: (code: number) => void): unknown;
  };
};
export interface UtilityProcessEdges {
  fork(modulePath: string, args: string[], options: Electron.ForkOptions): UtilityChildEdges;
}

/**
 * Workers run in Electron's utilityProcess: a Node child that is not a renderer. The spec's
 * `permissions` are not applied: utilityProcess drops `--permission` and `--allow-fs-*` from
 * execArgv (only a short allowlist of Node options survives), so passing them would only
 * pretend. docs/electron-security.md, "Worker sandbox", has the details.
 */
export function utilityLauncher(utilityProcess: UtilityProcessEdges): Launcher {
  return {
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
        onMessage: (listener) => void child.on('message', listener),
        onExit: (listener) => void child.on('exit', (code) => listener(code, null)),
      };
    },
  };
}

/** Data in the user-data folder (or HEARTH_DATA_DIR), logs where the OS keeps app logs. */
export function electronPaths(app: Pick<Electron.App, 'getPath'>, env: NodeJS.ProcessEnv = process.env): AppPaths {
  const dataDir = env['HEARTH_DATA_DIR'] || app.getPath('userData');
  return { dataDir, cacheDir: join(dataDir, 'cache'), logsDir: app.getPath('logs') };
}
