// Entry of the desktop app (bundled to dist/electron/main.cjs). All logic is in desktop.ts,
// which takes the electron module as an argument so it is tested with fakes.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as electron from 'electron';
import { createStderrLogger, systemClock } from '../core/node-ports.ts';
import { createElectronActivity } from './adapters/activity.ts';
import { defaultDesktopPaths, startDesktop } from './desktop.ts';
import { startedHidden } from './login-item.ts';
import { desktopNotifier } from './notifier.ts';
import { electronPaths, safeStorageSecrets, utilityLauncher } from './ports.ts';
import { startTrayMode } from './tray-mode.ts';
import { createElectronUpdater } from './updater.ts';

const logger = createStderrLogger();

startDesktop(electron, {
  ...defaultDesktopPaths(__dirname),
  // The default run's demand simulator (forked through tsx: a checkout's `npm start`; bundling it is packaging work).
  provider: { simulator: process.env['HEARTH_SIMULATOR'] === 'off' ? 'off' : 'auto' },
  // Started at login: tray only, no window.
  hidden: startedHidden(process.argv, process.platform, electron.app),
  extras: (shell) =>
    void startTrayMode(electron, shell, { iconDir: join(__dirname, 'tray'), platform: process.platform, env: process.env, home: homedir(), execPath: process.execPath }),
  ports: () => ({
    shell: 'desktop',
    version: electron.app.getVersion(),
    clock: systemClock,
    logger,
    paths: electronPaths(electron.app),
    secrets: safeStorageSecrets,
    launcher: utilityLauncher,
    notifier: desktopNotifier(electron, logger),
    // powerMonitor is usable only after `ready`, which is when ports() is called.
    activity: createElectronActivity(electron.powerMonitor, systemClock),
    // The worker is bundled beside main (scripts/build-electron.mjs) and needs no loader.
    workerEntry: { modulePath: join(__dirname, '..', 'worker', 'main.cjs'), execArgv: [] },
    // Only the packaged app updates itself; electron-updater is loaded only there.
    updater: createElectronUpdater({ packaged: electron.app.isPackaged, load: async () => (await import('electron-updater')).autoUpdater, clock: systemClock, logger }),
  }),
});
