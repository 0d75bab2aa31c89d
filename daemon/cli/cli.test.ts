import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../core/test-support.ts';

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

test('the daemon prints its ready line, answers status, and stops cleanly on Ctrl-C', async () => {
  const { dir, cleanup } = await tempDir();
  const child = spawn(process.execPath, [bin, 'daemon', '--data-dir', dir], {
    env: { ...process.env, HEARTH_FROM_SOURCES: '1', HEARTH_DEVNET: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Hearth ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`daemon exited early with ${code}`)));
    });
    assert.match(line, /^http:\/\/127\.0\.0\.1:/);
    assert.ok(existsSync(join(dir, 'runtime.json')));
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
  } finally {
    child.kill('SIGKILL');
    await cleanup();
  }
});
