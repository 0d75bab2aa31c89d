import { join } from 'node:path';
import type * as Electron from 'electron';
import type { Logger, Ports } from '../core/ports.ts';
import { createLogNotifier, systemClock } from '../core/node-ports.ts';
import { createElectronActivity, type PowerMonitorEdges } from './adapters/activity.ts';
import { defaultDesktopPaths, startDesktop, type DesktopOptions, type ElectronEdges } from './desktop.ts';
import type { AppEdges } from './edges.ts';
import { electronPaths, safeStorageSecrets, utilityLauncher, type UtilityProcessEdges } from './ports.ts';

/** Everything main.ts takes from the `electron` module. */
export type MainElectron = Omit<ElectronEdges, 'app'> & {
  app: AppEdges & Pick<Electron.App, 'getVersion' | 'getPath'>;
  powerMonitor: PowerMonitorEdges;
  safeStorage: Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;
  utilityProcess: UtilityProcessEdges;
};

/**
 * Core's ports for the desktop app. Called once Electron is ready: app.getPath and
 * powerMonitor may not be used before `ready`.
 */
export function desktopPorts(electron: MainElectron, bundleDir: string, logger: Logger, env: NodeJS.ProcessEnv): () => Ports {
  return () => ({
    shell: 'desktop',
    version: electron.app.getVersion(),
    clock: systemClock,
    logger,
    paths: electronPaths(electron.app, env),
    secrets: safeStorageSecrets(electron.safeStorage),
    launcher: utilityLauncher(electron.utilityProcess),
    notifier: createLogNotifier(logger),
    activity: createElectronActivity(electron.powerMonitor, systemClock),
    // The worker is bundled beside main (scripts/build-electron.mjs) and needs no loader.
    workerEntry: { modulePath: join(bundleDir, '..', 'worker', 'main.cjs'), execArgv: [] },
  });
}

/** The desktop app's wiring: the options startDesktop gets from the bundle folder and environment. */
export function desktopOptions(electron: MainElectron, bundleDir: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): DesktopOptions {
  return {
    ...defaultDesktopPaths(bundleDir),
    logger,
    // The default run's demand simulator (forked through tsx: a checkout's `npm start`; bundling it is packaging work).
    provider: { simulator: env['HEARTH_SIMULATOR'] === 'off' ? 'off' : 'auto' },
    ports: desktopPorts(electron, bundleDir, logger, env),
  };
}

/** Starts the desktop app from the real electron module (main.ts) or a typed fake (tests). */
export function runDesktop(electron: MainElectron, bundleDir: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): boolean {
  return startDesktop(electron, desktopOptions(electron, bundleDir, logger, env));
}
