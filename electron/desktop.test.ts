import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDesktop, type ElectronEdges } from './desktop.ts';
import { tempDir, testPorts } from '../core/test-support.ts';
import { connectToRunning } from '../daemon/cli/connect.ts';
import { CALL_CHANNEL } from './ipc-channels.ts';

// Fakes of the electron module's edges only; everything behind them is the real shell.
function fakeElectron(lock = true) {
  const app = Object.assign(new EventEmitter(), {
    quitCalled: 0,
    exitCode: undefined as number | undefined,
    ready: undefined as undefined | (() => void),
    requestSingleInstanceLock: () => lock,
    quit() {
      this.quitCalled++;
    },
    exit(code: number) {
      this.exitCode = code;
    },
    whenReady() {
      return new Promise<void>((resolve) => (this.ready = resolve));
    },
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    loaded: string | undefined;
    readonly webContents = { isDestroyed: () => false, send: () => undefined };
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    show() {}
  }
  const handlers = new Map<string, unknown>();
  const permissions: { request?: (c: unknown, p: string, cb: (ok: boolean) => void) => void; check?: () => boolean } = {};
  const protocolState = { privileged: [] as unknown[], handler: undefined as undefined | ((r: { url: string }) => Promise<Response>) };
  const opened: string[] = [];
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (c: string, h: unknown) => void handlers.set(c, h), removeHandler: (c: string) => void handlers.delete(c) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void protocolState.privileged.push(...s),
      handle: (_scheme: string, h: (r: { url: string }) => Promise<Response>) => void (protocolState.handler = h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof permissions.request) => void (permissions.request = h),
        setPermissionCheckHandler: (h: typeof permissions.check) => void (permissions.check = h),
      },
    },
    shell: { openExternal: (url: string) => (opened.push(url), Promise.resolve()) },
  };
  return { electron: electron as unknown as ElectronEdges, app, windows, handlers, permissions, protocolState, opened };
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(predicate(), 'condition not reached in time');
}

test('a second instance quits at once without creating a window', () => {
  const fake = fakeElectron(false);
  const started = startDesktop(fake.electron, { rendererDir: '/nope', preloadPath: '/nope.cjs', ports: () => assert.fail('no ports needed') });
  assert.equal(started, false);
  assert.equal(fake.app.quitCalled, 1);
  assert.equal(fake.windows.length, 0);
});

test('the window is sandboxed and isolated, permissions are denied, IPC and the CLI socket are up, and quitting cleans up', async () => {
  const { dir, cleanup } = await tempDir();
  const fake = fakeElectron();
  try {
    assert.equal(startDesktop(fake.electron, { rendererDir: join(dir, 'renderer'), preloadPath: '/app/preload.cjs', ports: () => testPorts(dir, { shell: 'desktop' }), provider: { devnet: 'off' } }), true);
    assert.deepEqual((fake.protocolState.privileged[0] as { scheme: string }).scheme, 'app');
    fake.app.ready!();
    await until(() => fake.windows.length === 1);
    const prefs = fake.windows[0]!.options.webPreferences;
    assert.deepEqual(
      [prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration, prefs.webSecurity, prefs.preload],
      [true, true, false, true, '/app/preload.cjs'],
    );
    assert.equal(fake.windows[0]!.loaded, 'app://hearth/index.html');
    let granted: boolean | undefined;
    fake.permissions.request!(null, 'media', (ok) => (granted = ok));
    assert.equal(granted, false);
    assert.equal(fake.permissions.check!(), false);
    assert.ok(fake.handlers.has(CALL_CHANNEL));
    const notFound = await fake.protocolState.handler!({ url: 'app://hearth/missing.js' });
    assert.equal(notFound.status, 404);

    const connection = await connectToRunning(dir);
    try {
      const status = await connection.client.call('app:status', {});
      assert.equal(status.shell, 'desktop');
    } finally {
      connection.close();
    }

    let prevented = false;
    fake.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    assert.equal(prevented, true, 'quit waits for core to stop');
    await until(() => fake.app.exitCode === 0);
    assert.equal(existsSync(join(dir, 'runtime.json')), false);
  } finally {
    await cleanup();
  }
});

test('navigation away from the app and new windows are refused; only allowlisted https opens externally', () => {
  const fake = fakeElectron();
  startDesktop(fake.electron, { rendererDir: '/r', preloadPath: '/p.cjs', ports: () => assert.fail('not ready') });
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    },
  });
  fake.app.emit('web-contents-created', {}, contents);
  const navigate = (url: string): boolean => {
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  assert.equal(navigate('https://evil.example/'), true);
  assert.equal(navigate('file:///etc/passwd'), true);
  assert.equal(navigate('app://hearth/index.html#/wallet'), false);
  let webview = false;
  contents.emit('will-attach-webview', { preventDefault: () => (webview = true) });
  assert.equal(webview, true);
  assert.deepEqual(contents.openHandler!({ url: 'https://github.com/hearth' }), { action: 'deny' });
  assert.deepEqual(contents.openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(fake.opened, ['https://github.com/hearth']);
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
    fake.app.ready!();
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
