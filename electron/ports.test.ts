import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Electron from 'electron';
import { desktopNotifier, type NotificationEdges } from './notifier.ts';
import { electronPaths, safeStorageSecrets, utilityLauncher } from './ports.ts';
import { FakeUtilityChild } from './fake-electron.ts';

test('secrets go through safeStorage: availability, and sealing that round-trips', async () => {
  let available = true;
  const safeStorage: Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> = {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('base64')}`),
    decryptString: (sealed) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice(7), 'base64').toString();
    },
  };
  const secrets = safeStorageSecrets(safeStorage);
  assert.equal(secrets.available(), true);
  const sealed = await secrets.encrypt('correct horse');
  assert.ok(Buffer.isBuffer(sealed));
  assert.equal(sealed.includes('correct horse'), false);
  assert.equal(await secrets.decrypt(sealed), 'correct horse');
  await assert.rejects(secrets.decrypt(Buffer.from('garbage')), /decrypting/, 'a decrypt failure is a rejection, not a crash');
  available = false;
  assert.equal(secrets.available(), false);
});

test('workers are forked as utility processes with the spec, and the child is driven through the launcher', () => {
  const forks: { modulePath: string; args: string[]; options: Electron.ForkOptions; child: FakeUtilityChild }[] = [];
  const launcher = utilityLauncher({
    fork: (modulePath, args, options) => {
      const child = new FakeUtilityChild();
      forks.push({ modulePath, args, options, child });
      return child;
    },
  });
  const launched = launcher.launch({ modulePath: '/app/worker/main.cjs', args: ['--x'], env: { A: '1' }, cwd: '/data' });
  assert.equal(forks.length, 1);
  const { modulePath, args, options, child } = forks[0]!;
  assert.deepEqual([modulePath, args], ['/app/worker/main.cjs', ['--x']]);
  assert.deepEqual(options, { cwd: '/data', env: { A: '1' }, execArgv: [], serviceName: 'Hearth worker', stdio: 'inherit' });
  assert.equal(launched.pid, undefined, 'no pid until spawned');
  child.pid = 4242;
  assert.equal(launched.pid, 4242, 'the pid is read live');
  launched.send({ kind: 'ping' });
  assert.deepEqual(child.posted, [{ kind: 'ping' }]);
  const messages: unknown[] = [];
  const exits: unknown[] = [];
  launched.onMessage((m) => messages.push(m));
  launched.onExit((code, signal) => exits.push([code, signal]));
  child.emit('message', { kind: 'pong' });
  launched.kill();
  child.emit('exit', 137);
  assert.deepEqual(messages, [{ kind: 'pong' }]);
  assert.equal(child.kills, 1);
  assert.deepEqual(exits, [[137, null]]);
});

test('notifications show where the OS supports them, and are logged either way', () => {
  const shown: Electron.NotificationConstructorOptions[] = [];
  const logged: unknown[] = [];
  let supported = true;
  const Notification: NotificationEdges['Notification'] = class {
    static isSupported = (): boolean => supported;
    constructor(private readonly options: Electron.NotificationConstructorOptions) {}
    show(): void {
      shown.push(this.options);
    }
  };
  const logger = { debug: () => undefined, info: (_m: string, fields?: unknown) => void logged.push(fields), warn: () => undefined, error: () => undefined };
  const notifier = desktopNotifier({ Notification }, logger);
  notifier.notify({ title: 'Paid', body: 'You earned 2 HRTH.' });
  supported = false;
  notifier.notify({ title: 'Paid', body: 'You earned 3 HRTH.' });
  assert.deepEqual(shown, [{ title: 'Paid', body: 'You earned 2 HRTH.', silent: false }]);
  assert.equal(logged.length, 2, 'a notification the OS hides is still on record');
});

test('paths: the user-data folder unless HEARTH_DATA_DIR says otherwise; logs where the OS keeps them', () => {
  const app: Pick<Electron.App, 'getPath'> = { getPath: (name) => ({ userData: '/u/Hearth', logs: '/u/Hearth/logs' })[name as string] ?? assert.fail(name) };
  assert.deepEqual(electronPaths(app, {}), { dataDir: '/u/Hearth', cacheDir: '/u/Hearth/cache', logsDir: '/u/Hearth/logs' });
  assert.deepEqual(electronPaths(app, { HEARTH_DATA_DIR: '/tmp/h' }), { dataDir: '/tmp/h', cacheDir: '/tmp/h/cache', logsDir: '/u/Hearth/logs' });
  assert.equal(electronPaths(app, { HEARTH_DATA_DIR: '' }).dataDir, '/u/Hearth', 'an empty variable is no folder');
});
