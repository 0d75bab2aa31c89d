// Where `hearth daemon` prints its access token: to a terminal, yes; to a pipe or file
// (a log others may read), never. The daemon runs in this process through the real
// command, with the terminal question answered by the test's io.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, waitFor } from '../../../core/test-support.ts';
import { readRuntimeFile } from '../../runtime-file.ts';
import { main } from '../main.ts';
import { readyMessage } from './daemon.ts';

// No local chain or demand simulator: this is about what gets printed.
process.env.HEARTH_DEVNET = 'off';
process.env.HEARTH_SIMULATOR = 'off';

const ready = { url: 'http://127.0.0.1:4321/?token=secret-token-value', port: 4321 };

test('readyMessage: the full address to a terminal, the address without its token otherwise', () => {
  assert.equal(readyMessage(ready, true), 'Hearth ready at http://127.0.0.1:4321/?token=secret-token-value\n');
  const piped = readyMessage(ready, false);
  assert.match(piped, /^Hearth ready at http:\/\/127\.0\.0\.1:4321\/\n/);
  assert.doesNotMatch(piped, /secret-token-value|token=/);
  assert.match(piped, /run `hearth url` as this user/);
  assert.match(readyMessage(ready, false, '/srv/hearth'), /`hearth url --data-dir \/srv\/hearth`/);
  assert.match(readyMessage(ready, false, "/home/a b/it's"), /`hearth url --data-dir '\/home\/a b\/it'\\''s'`/);
});

/** Runs `hearth daemon` in this process until it is ready, then stops it as Ctrl-C would. */
async function runDaemon(outIsTerminal: boolean | undefined): Promise<{ out: string; err: string; token: string; code: number }> {
  const { dir, cleanup } = await tempDir('hearth-ready-line-');
  let out = '';
  let err = '';
  try {
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), env: { PATH: process.env.PATH ?? '' }, outIsTerminal };
    const exit = main(['daemon', '--data-dir', dir, '--port', '0'], io);
    await waitFor(async () => (out.includes('Hearth ready at') ? true : undefined), 'the ready line', 30_000, () => err);
    const info = await readRuntimeFile(dir);
    assert.ok(info, 'the runtime file holds the token');
    process.emit('SIGINT');
    return { out, err, token: info.token, code: await exit };
  } finally {
    await cleanup();
  }
}

test('at a terminal, hearth daemon prints its full address with the token', { timeout: 60_000 }, async () => {
  const run = await runDaemon(true);
  assert.equal(run.code, 0);
  assert.match(run.out, /^Hearth ready at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  assert.ok(run.out.includes(`?token=${run.token}\n`), 'the printed token is this run’s');
});

test('not at a terminal (or when nobody says), hearth daemon keeps the token out of its output', { timeout: 60_000 }, async () => {
  for (const outIsTerminal of [false, undefined]) {
    const run = await runDaemon(outIsTerminal);
    assert.equal(run.code, 0);
    assert.match(run.out, /^Hearth ready at http:\/\/127\.0\.0\.1:\d+\/\n/);
    assert.match(run.out, /hearth url --data-dir /);
    assert.ok(!run.out.includes(run.token) && !run.err.includes(run.token), `the token is in neither stream (terminal: ${outIsTerminal})`);
  }
});
