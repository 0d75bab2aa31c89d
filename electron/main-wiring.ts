import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { Logger, Ports } from '../core/ports.ts';
import { systemClock } from '../core/node-ports.ts';
import { createElectronActivity, type PowerMonitorEdges } from './adapters/activity.ts';
import { defaultDesktopPaths, startDesktop, type DesktopOptions, type ElectronEdges } from './desktop.ts';
import type { AppEdges } from './edges.ts';
import { startedHidden } from './login-item.ts';
import { desktopNotifier, type NotificationEdges } from './notifier.ts';
import { electronPaths, safeStorageSecrets, utilityLauncher, type UtilityProcessEdges } from './ports.ts';
import { startTrayMode, type TrayModeEdges } from './tray-mode.ts';
import { createElectronUpdater } from './updater.ts';

/** Everything main.ts takes from the `electron` module. */
export type MainElectron = Omit<ElectronEdges, 'app'> &
  Omit<TrayModeEdges, 'app'> &
  NotificationEdges & {
    app: AppEdges & TrayModeEdges['app'] & Pick<Electron.App, 'getVersion' | 'getPath' | 'getLoginItemSettings'>;
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
    notifier: desktopNotifier(electron, logger),
    activity: createElectronActivity(electron.powerMonitor, systemClock),
    // The worker is bundled beside main (scripts/build-electron.mjs) and needs no loader.
    workerEntry: { modulePath: join(bundleDir, '..', 'worker', 'main.cjs'), execArgv: [] },
    // The default run's demand simulator, bundled beside main and started through utilityProcess.
    simulatorEntry: { modulePath: join(bundleDir, '..', 'requester', 'simulator.cjs'), execArgv: [] },
    // Only the packaged app updates itself; electron-updater is loaded only there.
    updater: createElectronUpdater({ packaged: electron.app.isPackaged, load: async () => (await import('electron-updater')).autoUpdater, clock: systemClock, logger }),
  });
}

/** The desktop app's wiring: the options startDesktop gets from the bundle folder and environment. */
export function desktopOptions(electron: MainElectron, bundleDir: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): DesktopOptions {
  return {
    ...defaultDesktopPaths(bundleDir),
    logger,
    provider: { simulator: env['HEARTH_SIMULATOR'] === 'off' ? 'off' : 'auto' },
    ports: desktopPorts(electron, bundleDir, logger, env),
    // Started at login: tray only, no window.
    hidden: startedHidden(process.argv, process.platform, electron.app),
    extras: (shell) => void startTrayMode(electron, shell, { iconDir: join(bundleDir, 'tray'), platform: process.platform, env, home: homedir(), execPath: process.execPath }),
  };
}

/** Starts the desktop app from the real electron module (main.ts) or a typed fake (tests). */
export function runDesktop(electron: MainElectron, bundleDir: string, logger: Logger, env: NodeJS.ProcessEnv = process.env): boolean {
  return startDesktop(electron, desktopOptions(electron, bundleDir, logger, env));
}
