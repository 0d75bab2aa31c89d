import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HDNodeWallet, Wallet, encryptKeystoreJson } from 'ethers';
import type { Clock, SecretStore, TimerHandle } from '../ports.ts';
import { noSecretStore } from '../node-ports.ts';
import { WalletService } from './wallet-service.ts';
import { memoryLogger, tempDir } from './testing/harness.ts';

const N = 1024; // low scrypt cost: tests only
const PHRASE = 'test test test test test test test test test test test junk';
const password = 'password one';

/** A clock whose timers fire only when the test advances it. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 1_700_000_000_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return { id };
    },
    clearTimeout: (handle: TimerHandle) => void timers.delete((handle as { id: number }).id),
    setInterval: () => ({ id: nextId++ }),
    clearInterval: () => undefined,
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
      }
    },
  };
}

async function service(dir: string, options: { clock?: Clock; secrets?: SecretStore; minutes?: number } = {}) {
  const changes: number[] = [];
  const s = new WalletService({
    dataDir: dir,
    clock: options.clock ?? fakeClock(),
    secrets: options.secrets ?? noSecretStore,
    logger: memoryLogger(),
    autoLockMinutes: () => options.minutes ?? 15,
    scryptN: N,
    onChange: () => changes.push(1),
  });
  await s.open();
  return s;
}

async function filesIn(dir: string): Promise<string[]> {
  return readdir(join(dir, 'wallet')).catch(() => []);
}

async function rejectsWith(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(async () => (typeof promise === 'function' ? promise() : promise), (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, error.message);
    return true;
  });
}

test('imports a mnemonic: same addresses as any BIP-44 wallet, several accounts, 0600 file', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const s = await service(d.dir);
  await s.import({ kind: 'mnemonic', mnemonic: `  ${PHRASE.toUpperCase()}  `, password });
  assert.equal(s.status().selected, HDNodeWallet.fromPhrase(PHRASE).address);
  await s.addAccount();
  assert.equal(s.status().accounts[1]!.address, HDNodeWallet.fromPhrase(PHRASE, undefined, "m/44'/60'/0'/0/1").address);
  assert.equal((await stat(join(d.dir, 'wallet', 'keystore.json'))).mode & 0o777, 0o600);
  s.lock();
  const again = await service(d.dir);
  assert.equal(again.status().locked, true);
  assert.equal(again.status().accounts.length, 2);
  await again.unlock(password);
  assert.equal(again.signer(again.status().accounts[1]!.address).address, again.status().accounts[1]!.address);
  again.lock();
});

test('imports a private key and a keystore; the keystore keeps its mnemonic', async (t) => {
  const d1 = await tempDir();
  const d2 = await tempDir();
  t.after(async () => {
    await d1.remove();
    await d2.remove();
  });
  const key = Wallet.createRandom();
  const a = await service(d1.dir);
  await a.import({ kind: 'privateKey', privateKey: key.privateKey.slice(2), password });
  assert.equal(a.status().selected, key.address);
  assert.equal(a.status().kind, 'privateKey');
  await rejectsWith(a.addAccount(), 'single_account_wallet');
  a.lock();

  const hd = HDNodeWallet.fromPhrase(PHRASE);
  const json = await encryptKeystoreJson(
    { address: hd.address, privateKey: hd.privateKey, mnemonic: { entropy: hd.mnemonic!.entropy, path: hd.path!, locale: 'en' } },
    'old keystore password',
    { scrypt: { N } },
  );
  const b = await service(d2.dir);
  await rejectsWith(b.import({ kind: 'keystore', json, keystorePassword: 'wrong', password }), 'keystore_password');
  assert.deepEqual(await filesIn(d2.dir), [], 'nothing written after a failed import');
  await b.import({ kind: 'keystore', json, keystorePassword: 'old keystore password', password });
  assert.equal(b.status().kind, 'mnemonic');
  assert.equal(b.status().selected, hd.address);
  b.lock();
});

test('bad input: each a stable code, nothing written, nothing lost', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const s = await service(d.dir);
  await rejectsWith(s.import({ kind: 'mnemonic', mnemonic: 'test test test test test test test test test test test test', password }), 'bad_mnemonic');
  await rejectsWith(s.import({ kind: 'mnemonic', mnemonic: 'not words at all', password }), 'bad_mnemonic');
  await rejectsWith(s.import({ kind: 'privateKey', privateKey: '0x1234', password }), 'bad_private_key');
  await rejectsWith(s.import({ kind: 'privateKey', privateKey: `0x${'0'.repeat(64)}`, password }), 'bad_private_key');
  await rejectsWith(s.import({ kind: 'keystore', json: '{"hello":1}', keystorePassword: 'x', password }), 'bad_keystore');
  await rejectsWith(s.unlock(password), 'no_wallet');
  await rejectsWith(s.confirm(['a', 'b', 'c']), 'no_pending_wallet');
  assert.deepEqual(await filesIn(d.dir), []);

  await s.import({ kind: 'mnemonic', mnemonic: PHRASE, password });
  const before = await readFile(join(d.dir, 'wallet', 'keystore.json'), 'utf8');
  s.lock();
  await rejectsWith(s.unlock('wrong password'), 'wrong_password');
  await rejectsWith(s.import({ kind: 'mnemonic', mnemonic: PHRASE, password }), 'wallet_exists');
  await rejectsWith(() => s.create(password), 'wallet_exists');
  await rejectsWith(s.exportKeystore('wrong password'), 'wrong_password');
  await rejectsWith(s.addAccount(), 'wallet_locked');
  await rejectsWith(async () => s.signer(), 'wallet_locked');
  await rejectsWith(s.selectAccount('0x0000000000000000000000000000000000000001'), 'unknown_account');
  assert.equal(await readFile(join(d.dir, 'wallet', 'keystore.json'), 'utf8'), before, 'the keystore is untouched');
  assert.deepEqual((await filesIn(d.dir)).sort(), ['keystore.json']);
});

test('create: nothing on disk until the right words are confirmed', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const s = await service(d.dir);
  const { mnemonic, confirmWords } = s.create(password);
  assert.equal(s.status().pendingBackup, true);
  assert.deepEqual(await filesIn(d.dir), []);
  const words = mnemonic.split(' ');
  await rejectsWith(s.confirm(confirmWords.map(() => 'abandon')), 'backup_mismatch');
  await rejectsWith(s.confirm([words[confirmWords[0]!]!]), 'backup_mismatch');
  assert.deepEqual(await filesIn(d.dir), []);
  await s.confirm(confirmWords.map((i) => ` ${words[i]!.toUpperCase()} `));
  assert.equal(s.status().pendingBackup, false);
  assert.equal(s.status().selected, HDNodeWallet.fromPhrase(mnemonic).address);
  s.lock();
});

test('auto-lock after the configured inactivity, reset by use', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const clock = fakeClock();
  const s = await service(d.dir, { clock, minutes: 15 });
  await s.import({ kind: 'mnemonic', mnemonic: PHRASE, password });
  assert.equal(s.status().autoLockAt, clock.now() + 15 * 60_000);
  clock.advance(14 * 60_000);
  assert.equal(s.isUnlocked, true);
  s.touch(); // a deliberate action restarts the countdown
  clock.advance(14 * 60_000);
  assert.equal(s.isUnlocked, true);
  clock.advance(60_001);
  assert.equal(s.isUnlocked, false);
  assert.equal(s.status().autoLockAt, null);
  await rejectsWith(async () => s.signer(), 'wallet_locked');
});

test('OS keychain: unlock without typing, only where the shell has one', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  // A stand-in for Electron safeStorage: reversible, and clearly not the password on disk.
  const sealed: SecretStore = {
    available: () => true,
    encrypt: async (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decrypt: async (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
  };
  const s = await service(d.dir, { secrets: sealed });
  await s.import({ kind: 'mnemonic', mnemonic: PHRASE, password });
  await rejectsWith(s.setKeychain(true, 'wrong password'), 'wrong_password');
  await s.setKeychain(true, password);
  assert.equal(s.status().keychain.enabled, true);
  assert.ok(!(await readFile(join(d.dir, 'wallet', 'keychain.bin'))).toString('utf8').includes(password));
  s.lock();
  await s.unlock(undefined, true);
  assert.equal(s.isUnlocked, true);
  s.lock();
  const headless = await service(d.dir);
  await rejectsWith(headless.unlock(undefined, true), 'password_required');
  await rejectsWith(headless.setKeychain(true, password), 'keychain_unavailable');
});

test('a torn main file falls back to the kept previous version', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const s = await service(d.dir);
  await s.import({ kind: 'mnemonic', mnemonic: PHRASE, password });
  s.lock();
  const good = await readFile(join(d.dir, 'wallet', 'keystore.json'), 'utf8');
  await mkdir(join(d.dir, 'wallet'), { recursive: true });
  await writeFile(join(d.dir, 'wallet', 'keystore.prev.json'), good);
  await writeFile(join(d.dir, 'wallet', 'keystore.json'), good.slice(0, good.length / 2));
  const reopened = await service(d.dir);
  assert.equal(reopened.status().selected, HDNodeWallet.fromPhrase(PHRASE).address);
  await reopened.unlock(password);
  assert.equal(await readFile(join(d.dir, 'wallet', 'keystore.json'), 'utf8'), `${JSON.stringify(JSON.parse(good), null, 2)}\n`);
  reopened.lock();
});

test('repeated wrong passwords make unlocking wait, on the clock', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const clock = fakeClock();
  const s = await service(d.dir, { clock });
  await s.import({ kind: 'privateKey', privateKey: `0x${'33'.repeat(32)}`, password });
  s.lock();
  for (let i = 0; i < 5; i++) await rejectsWith(s.unlock(`wrong ${i}`), 'wrong_password');
  await rejectsWith(s.unlock(password), 'unlock_throttled');
  clock.advance(1_001);
  await s.unlock(password);
  assert.equal(s.isUnlocked, true);
  s.lock();
});

test('wrong passwords sent all at once are checked one by one, so the throttle holds', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const s = await service(d.dir);
  await s.import({ kind: 'privateKey', privateKey: `0x${'34'.repeat(32)}`, password });
  s.lock();
  const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => s.unlock(`guess ${i}`)));
  const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'unlocked'));
  assert.equal(codes.filter((c) => c === 'wrong_password').length, 5, 'only the free attempts are tried');
  assert.equal(codes.filter((c) => c === 'unlock_throttled').length, 35);
});

test('keystores asking for a huge key-derivation cost are refused before any work, imported or found on disk', async (t) => {
  const d = await tempDir();
  t.after(d.remove);
  const s = await service(d.dir);
  const key = new Wallet(`0x${'35'.repeat(32)}`);
  const json = await encryptKeystoreJson({ address: key.address, privateKey: key.privateKey }, 'kp', { scrypt: { N } });
  const withParams = (change: (crypto: { kdf: string; kdfparams: Record<string, unknown> }) => void): string => {
    // ethers writes `Crypto`; the standard's readers accept either spelling.
    const parsed = JSON.parse(json) as Record<string, { kdf: string; kdfparams: Record<string, unknown> }>;
    change(parsed['Crypto'] ?? parsed['crypto']!);
    return JSON.stringify(parsed);
  };
  const hostile = [
    withParams((c) => (c.kdfparams['n'] = 2 ** 30)),
    withParams((c) => (c.kdfparams['r'] = 4096)),
    withParams((c) => (c.kdfparams['p'] = 1e6)),
    withParams((c) => (c.kdfparams['dklen'] = 1e9)),
    withParams((c) => (c.kdfparams['n'] = 'lots')),
    withParams((c) => ((c.kdf = 'pbkdf2'), (c.kdfparams = { c: 2 ** 40, dklen: 32, prf: 'hmac-sha256', salt: '00' }))),
    withParams((c) => (c.kdf = 'argon9')),
  ];
  const started = Date.now();
  for (const file of hostile) await rejectsWith(s.import({ kind: 'keystore', json: file, keystorePassword: 'kp', password }), 'keystore_unsupported');
  assert.ok(Date.now() - started < 5_000, 'refused from the parameters, not after paying for them');
  assert.deepEqual(await filesIn(d.dir), [], 'nothing written');
  await s.import({ kind: 'keystore', json, keystorePassword: 'kp', password });
  assert.equal(s.status().selected, key.address, 'a standard keystore still imports');

  // The wallet's own file swapped for one with a hostile cost: unlocking refuses it at once.
  s.lock();
  const path = join(d.dir, 'wallet', (await filesIn(d.dir)).find((f) => f.endsWith('.json'))!);
  const saved = JSON.parse(await readFile(path, 'utf8')) as { keystore: string };
  const inner = JSON.parse(saved.keystore) as Record<string, { kdfparams: Record<string, unknown> }>;
  (inner['Crypto'] ?? inner['crypto']!).kdfparams['n'] = 2 ** 30;
  await writeFile(path, JSON.stringify({ ...saved, keystore: JSON.stringify(inner) }));
  const reopened = await service(d.dir);
  await rejectsWith(reopened.unlock(password), 'keystore_unsupported');
});
