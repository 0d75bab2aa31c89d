import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { tempDir } from '../core/test-support.ts';
import { applyLaunchAtLogin, autostartFile, execArg, startedHidden, type LoginItemDeps } from './login-item.ts';

function fakeApp(wasOpenedAtLogin = false) {
  const set: Electron.Settings[] = [];
  const app: Pick<Electron.App, 'setLoginItemSettings' | 'getLoginItemSettings'> = {
    setLoginItemSettings: (settings) => void set.push(settings),
    getLoginItemSettings: () => ({ openAtLogin: wasOpenedAtLogin, wasOpenedAtLogin, status: 'enabled', executableWillLaunchAtLogin: false, launchItems: [] }),
  };
  return { app, set };
}

function deps(home: string, over: Partial<LoginItemDeps> = {}): LoginItemDeps {
  return { app: fakeApp().app, platform: 'linux', env: {}, home, execPath: '/opt/Hearth/hearth', packaged: true, appPath: '/opt/Hearth/resources/app.asar', ...over };
}

test('Linux: an XDG autostart entry is written on a temp HOME that starts Hearth hidden, and removed when turned off', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, '.config', 'autostart', 'hearth.desktop');
    await applyLaunchAtLogin(deps(dir), true);
    const text = await readFile(file, 'utf8');
    assert.match(text, /^\[Desktop Entry\]\n/);
    assert.match(text, /\nType=Application\n/);
    assert.match(text, /\nExec=\/opt\/Hearth\/hearth --hidden\n/);
    assert.equal((await stat(file)).mode & 0o777, 0o644);
    await applyLaunchAtLogin(deps(dir), true);
    await applyLaunchAtLogin(deps(dir), false);
    assert.equal(existsSync(file), false);
    await applyLaunchAtLogin(deps(dir), false);
  } finally {
    await cleanup();
  }
});

test('Linux: an AppImage starts from its file, not its temporary mount; XDG_CONFIG_HOME is honoured; paths with spaces are quoted', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const config = join(dir, 'my config');
    const env = { APPIMAGE: join(dir, 'Apps', 'Hearth 0.2.AppImage'), XDG_CONFIG_HOME: config };
    assert.equal(autostartFile(env, dir), join(config, 'autostart', 'hearth.desktop'));
    assert.equal(autostartFile({ XDG_CONFIG_HOME: 'relative/ignored' }, '/home/sam'), '/home/sam/.config/autostart/hearth.desktop');
    await applyLaunchAtLogin(deps(dir, { env, execPath: '/tmp/.mount_HearthXYZ/hearth' }), true);
    const text = await readFile(join(config, 'autostart', 'hearth.desktop'), 'utf8');
    assert.ok(text.includes(`Exec="${join(dir, 'Apps', 'Hearth 0.2.AppImage')}" --hidden\n`), text);
    assert.ok(!text.includes('.mount_'));
  } finally {
    await cleanup();
  }
});

test('Exec quoting follows the Desktop Entry rules', () => {
  assert.equal(execArg('/opt/Hearth/hearth'), '/opt/Hearth/hearth');
  assert.equal(execArg('/home/a b/x'), '"/home/a b/x"');
  assert.equal(execArg('100%'), '100%%');
  assert.equal(execArg('a"b$c'), '"a\\\\"b\\\\$c"');
  assert.equal(execArg('C:\\x y'), '"C:\\\\\\\\x y"');
});

test('Windows passes --hidden in the Run key; macOS registers a login item; neither writes files', async () => {
  const win = fakeApp();
  await applyLaunchAtLogin(deps('/nonexistent', { platform: 'win32', app: win.app, execPath: 'C:\\Program Files\\Hearth\\Hearth.exe' }), true);
  assert.deepEqual(win.set, [{ openAtLogin: true, path: 'C:\\Program Files\\Hearth\\Hearth.exe', args: ['--hidden'] }]);
  await applyLaunchAtLogin(deps('/nonexistent', { platform: 'win32', app: win.app, execPath: 'C:\\H\\Hearth.exe' }), false);
  assert.equal(win.set[1]?.openAtLogin, false);
  const mac = fakeApp();
  await applyLaunchAtLogin(deps('/nonexistent', { platform: 'darwin', app: mac.app }), true);
  assert.deepEqual(mac.set, [{ openAtLogin: true }]);
  const dev = fakeApp();
  await applyLaunchAtLogin(deps('/nonexistent', { platform: 'win32', app: dev.app, packaged: false, execPath: 'C:\\repo\\electron.exe', appPath: 'C:\\repo' }), true);
  assert.deepEqual(dev.set[0]?.args, ['C:\\repo', '--hidden'], 'a checkout starts Electron with the app folder');
});

test('hidden start: --hidden anywhere, or opened at login on macOS', () => {
  assert.equal(startedHidden(['/opt/Hearth/hearth', '--hidden'], 'linux', fakeApp().app), true);
  assert.equal(startedHidden(['/opt/Hearth/hearth'], 'linux', fakeApp(true).app), false, 'the macOS flag means nothing elsewhere');
  assert.equal(startedHidden(['/Applications/Hearth.app/Contents/MacOS/Hearth'], 'darwin', fakeApp(true).app), true);
  assert.equal(startedHidden(['/Applications/Hearth.app/Contents/MacOS/Hearth'], 'darwin', fakeApp(false).app), false);
});
