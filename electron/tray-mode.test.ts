import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { defaultSettings } from '../common/settings.ts';
import { marketStatusOf } from '../core/notifications/fixtures.ts';
import { silentLogger } from '../core/scheduler/test-support.ts';
import { tempDir, testPorts } from '../core/test-support.ts';
import type { Provider } from '../core/provider.ts';
import { startTrayMode, type TrayModeEdges } from './tray-mode.ts';
import { fakeCore, fakeTrayEdges } from './test/fake-electron.ts';
import { schedulerOf } from './test/statuses.ts';

// Compile-time: the real electron module fits the edges the fakes implement.
export const electronFits = (electron: typeof Electron): TrayModeEdges => electron;

function fakeApp() {
  const app = Object.assign(new EventEmitter(), {
    quits: 0,
    isPackaged: true,
    loginItems: [] as Electron.Settings[],
    quit() {
      this.quits++;
    },
    setLoginItemSettings(settings: Electron.Settings) {
      this.loginItems.push(settings);
    },
    getAppPath: () => '/opt/Hearth/resources/app.asar',
  });
  return app;
}

/** Waits for a file to appear or go (the write is atomic and fsynced, so it takes real time). */
async function until(what: string, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(predicate(), what);
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

async function setup(home: string, launchAtLogin: boolean, trayWorks = true) {
  const settings = defaultSettings();
  settings.general.launchAtLogin = launchAtLogin;
  const core = fakeCore({ 'settings:get': () => settings, 'scheduler:status': () => schedulerOf(), 'market:status': () => marketStatusOf() });
  const electron = fakeTrayEdges();
  const app = fakeApp();
  const edges: TrayModeEdges = {
    ...electron.edges,
    ...(trayWorks
      ? {}
      : {
          Tray: class extends electron.edges.Tray {
            constructor(image: string) {
              super(image);
              throw new Error('no status area on this desktop');
            }
          },
        }),
    app,
  };
  const shown: string[] = [];
  const provider: Provider = { ...core.core, stop: async () => undefined };
  const mode = startTrayMode(edges, { provider, ports: { ...testPorts(home), logger: silentLogger }, showWindow: () => shown.push('shown') }, { iconDir: '/icons', platform: 'linux', env: {}, home, execPath: '/opt/Hearth/hearth' });
  await settle();
  return { core, electron, app, mode, shown, settings };
}

test('start at login follows the setting at start and live, through settings:changed', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, '.config', 'autostart', 'hearth.desktop');
    const { core, settings, mode } = await setup(dir, true);
    await until('applied at start', () => existsSync(file));
    core.emit('settings:changed', { ...settings, general: { ...settings.general, launchAtLogin: false } });
    await until('turned off live', () => !existsSync(file));
    core.emit('settings:changed', { ...settings, general: { ...settings.general, launchAtLogin: true } });
    await until('turned on live', () => existsSync(file));
    for (const on of [false, true, false, true]) core.emit('settings:changed', { ...settings, general: { ...settings.general, launchAtLogin: on } });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(existsSync(file), true, 'quick changes end in the last one');
    core.emit('settings:changed', { general: { launchAtLogin: 'yes' } });
    mode.stop();
    core.emit('settings:changed', { ...settings, general: { ...settings.general, launchAtLogin: false } });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(existsSync(file), true, 'an invalid event changes nothing, and nothing changes once stopped');
  } finally {
    await cleanup();
  }
});

test('the tray menu opens the window and quits the app', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { electron, app, shown, mode } = await setup(dir, false);
    assert.ok(mode.tray);
    const menu = electron.menus.at(-1)!.template;
    Reflect.apply(menu.find((i) => i.id === 'open')!.click!, undefined, []);
    Reflect.apply(menu.find((i) => i.id === 'quit')!.click!, undefined, []);
    assert.deepEqual(shown, ['shown']);
    assert.equal(app.quits, 1);
    assert.equal(app.listenerCount('browser-window-created'), 1, 'closing a window goes to the tray');
  } finally {
    await cleanup();
  }
});

test('without a tray (no status area), closing the window is left to quit Hearth', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { app, mode } = await setup(dir, false, false);
    assert.equal(mode.tray, null);
    assert.equal(app.listenerCount('browser-window-created'), 0);
  } finally {
    await cleanup();
  }
});
