import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDesktop, type DesktopOptions } from './desktop.ts';
import { tempDir, testPorts } from '../core/test-support.ts';
import { connectToRunning } from '../daemon/cli/connect.ts';
import { CALL_CHANNEL } from './ipc-channels.ts';
import { permissionCheckHandler, permissionRequestHandler } from './window-guards.ts';
import { FakeContents, electronEvent, fakeElectron, until } from './fake-electron.ts';

const noPorts: DesktopOptions['ports'] = () => assert.fail('ports are built only once the app is ready');

/** Starts the shell on a fresh data folder and waits for its window; `run` gets the fake. */
async function withStartedShell(run: (fake: ReturnType<typeof fakeElectron>, dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  const fake = fakeElectron();
  try {
    assert.equal(startDesktop(fake.electron, { rendererDir: join(dir, 'renderer'), preloadPath: '/app/preload.cjs', ports: () => testPorts(dir, { shell: 'desktop' }), provider: { devnet: 'off' } }), true);
    fake.app.ready();
    await until(() => fake.windows.length === 1, 'the window');
    await run(fake, dir);
  } finally {
    if (fake.app.exitCode === undefined) {
      fake.app.quit();
      await until(() => fake.app.exitCode !== undefined, 'exit');
    }
    await cleanup();
  }
}

test('a second instance quits at once without creating a window', () => {
  const fake = fakeElectron({ lock: false });
  assert.equal(startDesktop(fake.electron, { rendererDir: '/nope', preloadPath: '/nope.cjs', ports: noPorts }), false);
  assert.equal(fake.app.quitCalls, 1);
  assert.equal(fake.windows.length, 0);
});

test('before ready only the app: scheme is registered (protocol.handle, session and windows wait for ready)', () => {
  const fake = fakeElectron();
  // The fake throws like Electron when protocol.handle, the session or a window come before ready.
  assert.equal(startDesktop(fake.electron, { rendererDir: '/r', preloadPath: '/p.cjs', ports: noPorts }), true);
  assert.deepEqual(fake.protocolState.privileged, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  assert.equal(fake.protocolState.handler, undefined);
  assert.equal(fake.permissions.request, undefined);
  assert.equal(fake.app.lockHeld, true);
});

test('the window is sandboxed and isolated, permissions follow the one rule, IPC and the CLI socket are up, and quitting cleans up', async () => {
  await withStartedShell(async (fake, dir) => {
    const window = fake.windows[0]!;
    const prefs = window.options.webPreferences ?? {};
    assert.deepEqual(
      [prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration, prefs.nodeIntegrationInWorker, prefs.webSecurity, prefs.allowRunningInsecureContent, prefs.webviewTag, prefs.preload],
      [true, true, false, false, true, false, false, '/app/preload.cjs'],
    );
    assert.deepEqual([prefs.experimentalFeatures, prefs.enableBlinkFeatures], [undefined, undefined], 'no experimental or Blink features');
    assert.equal(window.loaded, 'app://hearth/index.html');
    window.emit('ready-to-show');
    assert.equal(window.shown, 1, 'shown once painted');

    assert.equal(fake.permissions.request, permissionRequestHandler);
    assert.equal(fake.permissions.check, permissionCheckHandler);
    const check = fake.permissions.check;
    assert.equal(check(null, 'clipboard-sanitized-write', 'app://hearth', { isMainFrame: true, requestingUrl: 'app://hearth/index.html' }), true);
    assert.equal(check(null, 'media', 'app://hearth', { isMainFrame: true, requestingUrl: 'app://hearth/index.html' }), false);

    assert.ok(fake.handlers.has(CALL_CHANNEL));
    const notFound = await fake.protocolState.handler!(new Request('app://hearth/missing.js'));
    assert.equal(notFound.status, 404);

    const connection = await connectToRunning(dir);
    try {
      const status = await connection.client.call('app:status', {});
      assert.equal(status.shell, 'desktop');
    } finally {
      connection.close();
    }

    const quit = electronEvent({});
    fake.app.emit('will-quit', quit);
    assert.equal(quit.defaultPrevented, true, 'quit waits for core to stop');
    await until(() => fake.app.exitCode === 0, 'exit 0');
    assert.equal(existsSync(join(dir, 'runtime.json')), false);
  });
});

test('a second launch brings the window back: restored if minimized, focused, re-created if closed', async () => {
  await withStartedShell(async (fake) => {
    const window = fake.windows[0]!;
    window.minimized = true;
    fake.app.emit('second-instance', electronEvent({}), ['hearth'], '/', {});
    assert.deepEqual([window.restored, window.focused], [1, 1]);
    window.emit('closed');
    assert.equal(fake.windows.length, 0);
    fake.app.emit('second-instance', electronEvent({}), ['hearth'], '/', {});
    assert.equal(fake.windows.length, 1, 'a new window when none is open');
  });
});

test('macOS activate re-creates the window only when none is open', async () => {
  await withStartedShell(async (fake) => {
    fake.app.emit('activate', electronEvent({}), false);
    assert.equal(fake.windows.length, 1, 'no second window beside an open one');
    fake.windows[0]!.emit('closed');
    fake.app.emit('activate', electronEvent({}), false);
    assert.equal(fake.windows.length, 1);
    assert.equal(fake.windows[0]!.loaded, 'app://hearth/index.html');
  });
});

test('a failure while starting shows what to do, logs it, lets go of the single-instance lock and quits with an error', async () => {
  const logged: unknown[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string, f?: unknown) => void logged.push([m, f]) };
  const fake = fakeElectron();
  startDesktop(fake.electron, {
    rendererDir: '/r',
    preloadPath: '/p.cjs',
    logger,
    ports: () => {
      throw new Error('The data folder /x is not writable.');
    },
  });
  fake.app.ready();
  await until(() => fake.app.exitCode !== undefined, 'exit');
  assert.equal(fake.app.exitCode, 1);
  assert.equal(fake.app.lockHeld, false, 'a relaunch can start afresh');
  assert.equal(fake.windows.length, 0);
  assert.equal(fake.errorBoxes.length, 1);
  assert.equal(fake.errorBoxes[0]!.title, 'Hearth could not start');
  assert.match(fake.errorBoxes[0]!.content, /The data folder \/x is not writable\.[\s\S]*Start it again/);
  assert.equal(logged.length, 1);
  fake.app.emit('activate', electronEvent({}), false);
  fake.app.emit('second-instance', electronEvent({}), [], '/', {});
  assert.equal(fake.windows.length, 0, 'no window for a shell that failed to start');
});

test('an asynchronous failure in start-up (core cannot open its data folder) also ends in the dialog and exit 1', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const notAFolder = join(dir, 'file');
    await writeFile(notAFolder, 'not a folder');
    const fake = fakeElectron();
    startDesktop(fake.electron, { rendererDir: '/r', preloadPath: '/p.cjs', ports: () => testPorts(notAFolder, { shell: 'desktop' }), provider: { devnet: 'off' } });
    fake.app.ready();
    await until(() => fake.app.exitCode !== undefined, 'exit');
    assert.equal(fake.app.exitCode, 1);
    assert.equal(fake.errorBoxes.length, 1);
    assert.equal(fake.windows.length, 0);
  } finally {
    await cleanup();
  }
});

test('navigation away from the app is refused in every frame and on redirects; new windows and webviews are refused; only allowlisted https opens externally', () => {
  const fake = fakeElectron();
  startDesktop(fake.electron, { rendererDir: '/r', preloadPath: '/p.cjs', ports: noPorts });
  const contents = new FakeContents();
  fake.app.emit('web-contents-created', electronEvent({}), contents);
  for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
    assert.equal(contents.navigate(event, 'https://evil.example/'), true, event);
    assert.equal(contents.navigate(event, 'file:///etc/passwd'), true, event);
    assert.equal(contents.navigate(event, 'app://other/index.html'), true, event);
    assert.equal(contents.navigate(event, 'app://hearth/index.html#/wallet'), false, event);
  }
  assert.equal(contents.navigate('will-frame-navigate', 'https://evil.example/', false), true, 'an iframe navigating away');
  const webview = electronEvent({});
  contents.emit('will-attach-webview', webview, {}, {});
  assert.equal(webview.defaultPrevented, true);
  const open = (url: string) => contents.openHandler!({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } });
  assert.deepEqual(open('https://github.com/hearth'), { action: 'deny' });
  assert.deepEqual(open('https://evil.example/'), { action: 'deny' });
  assert.deepEqual(open('javascript:alert(1)'), { action: 'deny' });
  assert.deepEqual(fake.opened, ['https://github.com/hearth']);
});

test('permissions: only clipboard-sanitized-write, only for the app top frame, in both the request and the check handler', () => {
  const ask = (permission: string, requestingUrl: string, isMainFrame = true): boolean | undefined => {
    let granted: boolean | undefined;
    permissionRequestHandler(null, permission, (ok) => (granted = ok), { requestingUrl, isMainFrame });
    return granted;
  };
  assert.equal(ask('clipboard-sanitized-write', 'app://hearth/index.html'), true);
  for (const [permission, url, main] of [
    ['clipboard-sanitized-write', 'https://evil.example/', true],
    ['clipboard-sanitized-write', 'app://other/', true],
    ['clipboard-sanitized-write', 'app://hearth/index.html', false],
    ['clipboard-read', 'app://hearth/index.html', true],
    ['media', 'app://hearth/index.html', true],
    ['notifications', 'app://hearth/index.html', true],
    ['openExternal', 'app://hearth/index.html', true],
  ] as const) {
    assert.equal(ask(permission, url, main), false, `${permission} ${url} ${main}`);
    assert.equal(permissionCheckHandler(null, permission, new URL(url).origin, { isMainFrame: main, requestingUrl: url }), false, `check ${permission} ${url}`);
  }
  assert.equal(permissionCheckHandler(null, 'clipboard-sanitized-write', 'app://hearth', { isMainFrame: true }), true, 'the origin alone when no URL is given');
  assert.equal(permissionCheckHandler(null, 'clipboard-sanitized-write', 'https://evil.example', { isMainFrame: true }), false);
});

test('a hidden start (at login) opens no window until the tray asks for one; tray mode gets core once it is up', async () => {
  const { dir, cleanup } = await tempDir();
  const fake = fakeElectron();
  let shell: { showWindow: () => void; provider: unknown } | undefined;
  try {
    startDesktop(fake.electron, {
      rendererDir: join(dir, 'renderer'),
      preloadPath: '/app/preload.cjs',
      ports: () => testPorts(dir, { shell: 'desktop' }),
      provider: { devnet: 'off' },
      hidden: true,
      extras: (s) => (shell = s),
    });
    fake.app.ready();
    await until(() => shell !== undefined);
    assert.equal(fake.windows.length, 0, 'tray only');
    assert.ok(shell?.provider);
    shell.showWindow();
    assert.equal(fake.windows.length, 1);
    assert.equal(fake.windows[0]!.loaded, 'app://hearth/index.html');
  } finally {
    fake.app.emit('will-quit', { preventDefault: () => undefined });
    await until(() => fake.app.exitCode === 0);
    await cleanup();
  }
});
