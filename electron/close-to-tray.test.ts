import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import { defaultSettings } from '../common/settings.ts';
import { silentLogger } from '../core/scheduler/test-support.ts';
import { keepRunningOnClose, TRAY_NOTICE, type CloseToTrayEdges, type ClosableWindow } from './close-to-tray.ts';
import { desktopNotifier, type NotificationEdges } from './notifier.ts';
import { fakeCore } from './test/fake-electron.ts';

// Compile-time: the real app and Notification fit the edges the fakes implement.
export const appFits = (app: Electron.App): CloseToTrayEdges['app'] => app;
export const notificationFits = (electron: Pick<typeof Electron, 'Notification'>): NotificationEdges => electron;
export const windowFits = (window: Electron.BrowserWindow): ClosableWindow => window;

class FakeWindow extends EventEmitter implements ClosableWindow {
  hidden = 0;
  hide(): void {
    this.hidden++;
  }
  /** Emits 'close' as Electron does; true when the close went ahead. */
  close(): boolean {
    let prevented = false;
    const event: Electron.Event = { preventDefault: () => (prevented = true), defaultPrevented: false };
    this.emit('close', event);
    return !prevented;
  }
}

function setup(noticeShown = false) {
  const app = new EventEmitter();
  let settings = defaultSettings();
  settings.general.trayNoticeShown = noticeShown;
  const core = fakeCore({
    'settings:get': () => settings,
    'settings:update': (patch) => {
      settings = { ...settings, general: { ...settings.general, ...(patch as { general: object }).general } };
      return settings;
    },
  });
  const notes: { title: string; body: string }[] = [];
  const mode = keepRunningOnClose({ app }, { core: core.core, notifier: { notify: (n) => void notes.push(n) }, logger: silentLogger });
  const window = new FakeWindow();
  app.emit('browser-window-created', { preventDefault: () => undefined, defaultPrevented: false }, window);
  return { app, core, notes, mode, window, settings: () => settings };
}

const settle = () => new Promise((r) => setImmediate(r));

test('closing the window hides it (Hearth keeps earning) and says so once, remembered in settings', async () => {
  const { window, notes, settings, core } = setup();
  assert.equal(window.close(), false, 'the close is prevented');
  assert.equal(window.hidden, 1);
  await settle();
  await settle();
  assert.deepEqual(notes, [TRAY_NOTICE]);
  assert.equal(settings().general.trayNoticeShown, true);
  assert.deepEqual(core.calls.at(-1), { channel: 'settings:update', payload: { general: { trayNoticeShown: true } } });
  window.close();
  await settle();
  assert.equal(notes.length, 1, 'once');
  assert.equal(window.hidden, 2);
});

test('the notice is never shown again after a restart', async () => {
  const { window, notes } = setup(true);
  window.close();
  await settle();
  await settle();
  assert.deepEqual(notes, []);
});

test('quit really quits: after before-quit the close goes ahead', () => {
  const { app, window, mode } = setup();
  app.emit('before-quit');
  assert.equal(mode.quitting(), true);
  assert.equal(window.close(), true);
  assert.equal(window.hidden, 0);
});

test('notifications go to the OS when it supports them, and are logged either way', () => {
  const shown: Electron.NotificationConstructorOptions[] = [];
  let supported = true;
  class FakeNotification {
    static isSupported = () => supported;
    constructor(readonly options: Electron.NotificationConstructorOptions) {}
    show(): void {
      shown.push(this.options);
    }
  }
  const logged: string[] = [];
  const logger = { ...silentLogger, info: (message: string) => void logged.push(message) };
  const notifier = desktopNotifier({ Notification: FakeNotification }, logger);
  notifier.notify({ title: 'Your first payment arrived', body: 'Hearth earned 0.0031 HRTH' });
  supported = false;
  notifier.notify({ title: 'Second', body: 'not shown' });
  assert.deepEqual(shown.map((o) => o.title), ['Your first payment arrived']);
  assert.deepEqual(logged, ['notification', 'notification']);
});
