import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { tempDir } from '../../core/test-support.ts';
import { readRuntimeFile } from '../runtime-file.ts';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'hearth.mjs');

function hearth(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, HEARTH_FROM_SOURCES: '1', ...env }, encoding: 'utf8', timeout: 30_000 });
}

test('help, version and a wrong command give the right exit codes', () => {
  const help = hearth(['--help'], {});
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: hearth <command>/);
  assert.match(help.stdout, /daemon/);
  assert.match(help.stdout, /status/);
  assert.equal(hearth([], {}).status, 2);
  const wrong = hearth(['frobnicate'], {});
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /unknown command "frobnicate"/);
  const badOption = hearth(['status', '--bogus'], {});
  assert.equal(badOption.status, 2);
  assert.match(badOption.stderr, /Usage: hearth status/);
});

test('status says plainly when nothing is running (exit 3)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const result = hearth(['status', '--json'], { HEARTH_DATA_DIR: dir });
    assert.equal(result.status, 3);
    assert.deepEqual(JSON.parse(result.stdout), { running: false });
    assert.match(result.stderr, /not running/);
  } finally {
    await cleanup();
  }
});

/** One call over the API socket at `url` (the page address with ?token=), as the renderer makes it. */
async function callStatus(url: string): Promise<{ ok: boolean; closeCode?: number }> {
  const { port, searchParams } = new URL(url);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(searchParams.get('token') ?? '')}`);
  try {
    return await new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('close', (code) => resolve({ ok: false, closeCode: code }));
      ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'app:status', payload: {} })));
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; id?: number; envelope?: { ok: boolean } };
        if (message.type === 'result' && message.id === 1) resolve({ ok: message.envelope?.ok === true });
      });
    });
  } finally {
    ws.close();
  }
}

test('piped, the daemon prints its ready line without the token; hearth url gives a working address; Ctrl-C stops it cleanly', { timeout: 90_000 }, async () => {
  const { dir, cleanup } = await tempDir();
  const child = spawn(process.execPath, [bin, 'daemon', '--data-dir', dir], {
    env: { ...process.env, HEARTH_FROM_SOURCES: '1', HEARTH_DEVNET: 'off', HEARTH_SIMULATOR: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /Hearth ready at http:\/\/127\.0\.0\.1:(\d+)\/\n/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`daemon exited early with ${code}: ${out}${err}`)));
    });
    assert.ok(existsSync(join(dir, 'runtime.json')));
    const info = await readRuntimeFile(dir);
    assert.ok(info && info.port === port);

    const url = hearth(['url', '--data-dir', dir], {});
    assert.equal(url.status, 0, url.stderr);
    assert.equal(url.stdout, `http://127.0.0.1:${port}/?token=${info.token}\n`);
    // The address works: the page is answered (200, or 503 where the UI is not built) and the API serves a call.
    const page = await fetch(url.stdout.trim());
    assert.ok(page.status === 200 || page.status === 503, `page: ${page.status}`);
    assert.equal(page.headers.get('set-cookie'), null);
    assert.deepEqual(await callStatus(url.stdout.trim()), { ok: true });
    // Without the token, the same socket is refused: the address `hearth url` printed is what opened it.
    assert.deepEqual(await callStatus(`http://127.0.0.1:${port}/`), { ok: false, closeCode: 4401 });

    const status = hearth(['status', '--json', '--data-dir', dir], {});
    assert.equal(status.status, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as { running: boolean; shell: string; dataDir: string };
    assert.deepEqual([parsed.running, parsed.shell, parsed.dataDir], [true, 'daemon', dir]);
    const second = hearth(['daemon', '--data-dir', dir], {});
    assert.equal(second.status, 1, 'a second daemon on the same profile is refused');
    assert.match(second.stderr, /already running/);
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exitCode, 0);
    assert.equal(existsSync(join(dir, 'runtime.json')), false, 'the runtime file is removed on shutdown');
    // What a log of this run would hold: the address and how to get the rest, never the token.
    assert.match(out, new RegExp(`Hearth ready at http://127\\.0\\.0\\.1:${port}/\nThe access token is kept out of this output .*\`hearth url --data-dir `));
    assert.ok(!out.includes(info.token), 'the token is not on stdout');
    assert.ok(!err.includes(info.token), 'the token is not on stderr');
    assert.doesNotMatch(out + err, /token=/);
    const gone = hearth(['url', '--data-dir', dir], {});
    assert.equal(gone.status, 3, 'after it stopped, hearth url says it is not running');
  } finally {
    child.kill('SIGKILL');
    await cleanup();
  }
});
