// Entry of the desktop app (bundled to dist/electron/main.cjs). All logic is in desktop.ts,
// which takes the electron module as an argument so it is tested with fakes.
import { join } from 'node:path';
import * as electron from 'electron';
import { createLogNotifier, createStderrLogger, systemClock } from '../core/node-ports.ts';
import { createElectronActivity } from './adapters/activity.ts';
import { defaultDesktopPaths, startDesktop } from './desktop.ts';
import { electronPaths, safeStorageSecrets, utilityLauncher } from './ports.ts';

const logger = createStderrLogger();

startDesktop(electron, {
  ...defaultDesktopPaths(__dirname),
  // The default run's demand simulator, bundled beside main and started through utilityProcess.
  provider: { simulator: process.env['HEARTH_SIMULATOR'] === 'off' ? 'off' : 'auto' },
  ports: () => ({
    shell: 'desktop',
    version: electron.app.getVersion(),
    clock: systemClock,
    logger,
    paths: electronPaths(electron.app),
    secrets: safeStorageSecrets,
    launcher: utilityLauncher,
    notifier: createLogNotifier(logger),
    // powerMonitor is usable only after `ready`, which is when ports() is called.
    activity: createElectronActivity(electron.powerMonitor, systemClock),
    // The worker is bundled beside main (scripts/build-electron.mjs) and needs no loader.
    workerEntry: { modulePath: join(__dirname, '..', 'worker', 'main.cjs'), execArgv: [] },
    simulatorEntry: { modulePath: join(__dirname, '..', 'requester', 'simulator.cjs'), execArgv: [] },
  }),
});
