import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../../core/test-support.ts';
import { removeRuntimeFile, writeRuntimeFile } from '../../runtime-file.ts';
import { main } from '../main.ts';

async function hearth(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), env: { PATH: process.env.PATH ?? '', ...env } });
  return { code, out, err };
}

// A running daemon through the real binary is in ../cli.test.ts; these are the other answers.
test('hearth url says plainly when nothing is running (exit 3) and refuses stray arguments (exit 2)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const none = await hearth(['url', '--data-dir', dir]);
    assert.deepEqual([none.code, none.out], [3, '']);
    assert.match(none.err, /Hearth is not running for .*hearth daemon/);
    assert.equal((await hearth(['url'], { HEARTH_DATA_DIR: dir })).code, 3, 'HEARTH_DATA_DIR picks the profile too');
    assert.equal((await hearth(['url', 'now', '--data-dir', dir])).code, 2);
    assert.equal((await hearth(['url', '--bogus'])).code, 2);
    assert.match((await hearth(['--help'])).out, /url\s+Print the full address of the running daemon/);
  } finally {
    await cleanup();
  }
});

test('hearth url prints the address from the runtime file, and for the desktop app says to open its window', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const token = 'a-token-of-at-least-16-chars';
    await writeRuntimeFile(dir, { shell: 'daemon', pid: process.pid, port: 4321, token, startedAt: Date.now() });
    const got = await hearth(['url', '--data-dir', dir]);
    assert.deepEqual([got.code, got.out, got.err], [0, `http://127.0.0.1:4321/?token=${token}\n`, '']);

    await writeRuntimeFile(dir, { shell: 'desktop', pid: process.pid, port: 4321, token, startedAt: Date.now() });
    const desktop = await hearth(['url', '--data-dir', dir]);
    assert.equal(desktop.code, 1);
    assert.match(desktop.err, /desktop app .*open its window/);
    assert.ok(!desktop.out.includes(token) && !desktop.err.includes(token));
    await removeRuntimeFile(dir, process.pid);
  } finally {
    await cleanup();
  }
});
