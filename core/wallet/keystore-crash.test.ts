import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { decryptKeystoreJson } from 'ethers';
import { cleanWalletTemps, loadWalletFile } from './keystore-file.ts';
import { WalletService } from './wallet-service.ts';
import { memoryLogger, tempDir } from './testing/harness.ts';
import { noSecretStore, systemClock } from '../node-ports.ts';

/**
 * Crash safety: a child rewrites the keystore in a loop and is SIGKILLed at a random
 * moment, over and over. After every kill the wallet must open with the same address
 * and decrypt with the same password. Low scrypt cost here only (N = 2^10).
 */
const require = createRequire(import.meta.url);
const TRIALS = Number(process.env.HEARTH_CRASH_TRIALS ?? 120);
const N = 1024;
const password = 'crash test password';

test(`keystore survives ${TRIALS} random kills during writes`, { timeout: 180_000 }, async (t) => {
  const data = await tempDir('hearth-crash-');
  t.after(() => data.remove());
  // One bundle, so each trial's child starts in plain Node without a TypeScript loader.
  const bundle = join(data.dir, 'writer.mjs');
  // The CLI, not the JS API: the API's service process would keep this test alive.
  execFileSync(require.resolve('esbuild/bin/esbuild'), [
    fileURLToPath(new URL('./testing/keystore-writer.ts', import.meta.url)),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--log-level=error',
    `--outfile=${bundle}`,
  ]);
  const walletDir = join(data.dir, 'profile');
  const service = new WalletService({
    dataDir: walletDir,
    clock: systemClock,
    secrets: noSecretStore,
    logger: memoryLogger(),
    autoLockMinutes: () => 15,
    scryptN: N,
    onChange: () => undefined,
  });
  await service.open();
  await service.import({ kind: 'privateKey', privateKey: '0x' + '11'.repeat(32), password });
  const address = service.status().selected!;
  service.lock(); // also clears its auto-lock timer

  let fromPrevious = 0;
  let killedMidWrite = 0;

  for (let trial = 0; trial < TRIALS; trial++) {
    const child = fork(bundle, [walletDir, password, String(N)], { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    child.removeAllListeners('exit');
    // Random kill point inside the write loop (a round takes tens of milliseconds: fsyncs).
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 150));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const names = await readdir(join(walletDir, 'wallet'));
    if (names.some((n) => n.endsWith('.tmp') || n === 'keystore.prev.json')) killedMidWrite++;
    const loaded = await loadWalletFile(walletDir);
    assert.ok(loaded, `trial ${trial}: the wallet must open`);
    assert.equal(loaded.file.address, address, `trial ${trial}: same address`);
    if (loaded.source === 'previous') fromPrevious++;
    const account = await decryptKeystoreJson(loaded.file.keystore, password);
    assert.equal(account.address, address, `trial ${trial}: decrypts to the same key`);
    await cleanWalletTemps(walletDir);
  }
  const mode = (await stat(join(walletDir, 'wallet', 'keystore.json'))).mode & 0o777;
  assert.equal(mode, 0o600);
  // The kill must have landed mid-write at least sometimes, or the test proved nothing.
  assert.ok(killedMidWrite > TRIALS / 10, `only ${killedMidWrite} kills landed mid-write`);
  process.stdout.write(`figure keystore_crash_trials ${TRIALS} count\nfigure keystore_crash_mid_write ${killedMidWrite} count\nfigure keystore_crash_opened_from_previous ${fromPrevious} count\n`);
});
