import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Logger } from '../core/ports.ts';
import { desktopOptions, runDesktop } from './main-wiring.ts';
import { fakeMainElectron, until } from './fake-electron.ts';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const bundleDir = '/opt/Hearth/resources/app.asar/dist/electron';

test('the wiring touches nothing of Electron before ready and points at the bundled renderer, preload and worker', async () => {
  const fake = fakeMainElectron();
  // The fake's powerMonitor, utilityProcess and session throw before ready, as Electron's do.
  const options = desktopOptions(fake.electron, bundleDir, quiet, {});
  assert.equal(options.rendererDir, '/opt/Hearth/resources/app.asar/dist/renderer');
  assert.equal(options.preloadPath, join(bundleDir, 'preload.cjs'));
  assert.equal(options.logger, quiet, 'start-up failures are logged before ports exist');
  assert.deepEqual(options.provider, { simulator: 'auto' });
  assert.deepEqual(desktopOptions(fake.electron, bundleDir, quiet, { HEARTH_SIMULATOR: 'off' }).provider, { simulator: 'off' });
  assert.throws(() => options.ports(), /before the app is ready/, 'ports need ready: startDesktop builds them after it');

  fake.app.ready();
  const ports = options.ports();
  assert.equal(ports.shell, 'desktop');
  assert.equal(ports.version, '9.8.7');
  assert.deepEqual(ports.paths, { dataDir: '/home/user/.config/Hearth', cacheDir: '/home/user/.config/Hearth/cache', logsDir: '/home/user/.config/Hearth/logs' });
  assert.equal(ports.logger, quiet);
  assert.deepEqual(ports.workerEntry, { modulePath: '/opt/Hearth/resources/app.asar/dist/worker/main.cjs', execArgv: [] });
  assert.deepEqual(ports.simulatorEntry, { modulePath: '/opt/Hearth/resources/app.asar/dist/requester/simulator.cjs', execArgv: [] });

  assert.equal(ports.secrets.available(), true);
  assert.equal(await ports.secrets.decrypt(await ports.secrets.encrypt('key')), 'key', 'secrets go through safeStorage');

  const child = ports.launcher.launch({ modulePath: ports.workerEntry.modulePath, args: [], env: {}, cwd: '/tmp' });
  assert.equal(fake.forks.length, 1, 'workers go through utilityProcess');
  fake.forks[0]!.child.pid = 7;
  assert.equal(child.pid, 7);

  ports.notifier.notify({ title: 'First payment', body: 'Hearth earned 1 HRTH.' });
  assert.deepEqual(
    fake.notes.map((n) => n.title),
    ['First payment'],
    'notifications go through Electron',
  );
  assert.equal(ports.updater?.state().state, 'unsupported', 'a development run does not update itself');
  assert.equal(options.hidden, false, 'started by hand: a window');
  assert.equal(typeof options.extras, 'function', 'tray mode is wired');

  const off = ports.activity.subscribe(() => undefined);
  fake.powerMonitor.idle = 321;
  await until(() => ports.activity.idleSeconds() === 321, 'idle time from powerMonitor');
  off();
});

test('HEARTH_DATA_DIR moves the data folder', () => {
  const fake = fakeMainElectron();
  fake.app.ready();
  assert.equal(desktopOptions(fake.electron, bundleDir, quiet, { HEARTH_DATA_DIR: '/data/hearth' }).ports().paths.dataDir, '/data/hearth');
});

test('runDesktop starts the shell from the module: a second instance quits at once', () => {
  const fake = fakeMainElectron({ lock: false });
  assert.equal(runDesktop(fake.electron, bundleDir, quiet, {}), false);
  assert.equal(fake.app.quitCalls, 1);
  assert.equal(fake.protocolState.privileged.length, 1);
});
