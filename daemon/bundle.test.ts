import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The bundled `hearth` (dist/daemon, dist/worker, dist/requester) built into a folder that
// holds no TypeScript sources, beside package.json and node_modules as an install has them.
// Every path the code finds relative to itself (the renderer, package.json, the worker and
// simulator entries, the Anvil binary, the OCR models) must resolve from there, and nothing
// may fall back to the sources: bin/hearth.mjs would fail to find them.
const repo = join(import.meta.dirname, '..');
const root = mkdtempSync(join(tmpdir(), 'hearth-bundle-'));
const hearth = join(root, 'bin', 'hearth.mjs');
const marker = `bundle test ${process.pid}`;

before(() => {
  const built = spawnSync(process.execPath, [join(repo, 'scripts', 'build-electron.mjs'), '--daemon-only', '--outdir', root], { cwd: repo, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(repo, 'bin', 'hearth.mjs'), hearth);
  copyFileSync(join(repo, 'package.json'), join(root, 'package.json'));
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(root, 'node_modules'), 'dir');
  mkdirSync(join(root, 'dist', 'renderer'));
  writeFileSync(join(root, 'dist', 'renderer', 'index.html'), `<!doctype html><title>${marker}</title>`);
});
after(() => rmSync(root, { recursive: true, force: true }));

const env = (dataDir: string): NodeJS.ProcessEnv => ({ ...process.env, HEARTH_DATA_DIR: dataDir, HEARTH_FROM_SOURCES: '', FORCE_COLOR: '0' });

test('the bundle has no TypeScript sources to fall back on, and answers --help and --version', () => {
  assert.equal(spawnSync('find', [root, '-name', '*.ts', '-not', '-path', '*/node_modules/*'], { encoding: 'utf8' }).stdout, '');
  const help = spawnSync(process.execPath, [hearth, '--help'], { encoding: 'utf8', env: env(mkdtempSync(join(tmpdir(), 'hearth-bundle-data-'))) });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: hearth <command>/);
  assert.match(help.stdout, /daemon/);
  const version = spawnSync(process.execPath, [hearth, '--version'], { encoding: 'utf8' });
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version);
});

test('the daemon bundle is ASCII with no comments, so V8 holds its source at one byte a character', () => {
  const dir = join(root, 'dist', 'daemon');
  const scripts = readdirSync(dir).filter((name) => name.endsWith('.mjs'));
  assert.ok(scripts.length >= 2, 'the entry and its chunks');
  for (const name of scripts) {
    const bytes = readFileSync(join(dir, name));
    const wide = bytes.findIndex((byte) => byte > 0x7f);
    assert.equal(wide, -1, `${name} has a non-ASCII character: ${bytes.subarray(Math.max(0, wide - 40), wide + 10).toString('utf8')}`);
    const text = bytes.toString('latin1');
    assert.doesNotMatch(text, /^\s*\/\*\*/m, `${name} keeps doc comments`);
  }
});

test('hearth bench runs a packaged OCR model in the bundled worker', () => {
  const result = spawnSync(process.execPath, [hearth, 'bench', '--iterations', '2', '--json'], { encoding: 'utf8', env: env(mkdtempSync(join(tmpdir(), 'hearth-bundle-data-'))), timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { provider: string; modelId: string; inferencesPerSecond: number };
  assert.equal(parsed.modelId, 'paddleocr-rec-v4');
  assert.ok(parsed.inferencesPerSecond > 0);
});

function waitFor(child: ChildProcess, text: () => string, pattern: RegExp, what: string, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = pattern.exec(text());
      if (match) {
        clearInterval(timer);
        clearTimeout(limit);
        resolve(match);
      }
    }, 100);
    const limit = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${what} within ${ms} ms:\n${text().slice(-3000)}`));
    }, ms);
    child.once('exit', (code) => {
      clearInterval(timer);
      clearTimeout(limit);
      reject(new Error(`hearth daemon exited (${code}) before ${what}:\n${text().slice(-3000)}`));
    });
  });
}

test('hearth daemon from the bundle serves the renderer, runs the chain and the bundled simulator, and stops cleanly', { skip: process.platform === 'win32' ? 'uses pgrep' : false }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bundle-data-'));
  const child = spawn(process.execPath, [hearth, 'daemon', '--data-dir', dataDir], { env: { ...env(dataDir), HEARTH_SIMULATOR: 'auto' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  try {
    await waitFor(child, () => out, /Hearth ready at http:\/\/127\.0\.0\.1:\d+\/\n/, 'the ready line', 60_000);
    // Piped, the daemon prints no token; the bundled `hearth url` reads it from the runtime file.
    const url = spawnSync(process.execPath, [hearth, 'url'], { encoding: 'utf8', env: env(dataDir) });
    assert.equal(url.status, 0, url.stderr);
    const token = new URL(url.stdout.trim()).searchParams.get('token') ?? '';
    assert.ok(token.length >= 16 && !out.includes(token) && !err.includes(token), 'the token is only in what hearth url printed');
    const page = await fetch(url.stdout.trim());
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(marker));
    // The simulator only starts once the local chain runs with the protocol deployed on it.
    await waitFor(child, () => err, /"message":"simulator: ready"/, 'the simulator', 90_000);
    assert.equal(spawnSync('pgrep', ['-f', `anvil .*${dataDir}`]).status, 0, 'the chain node runs');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.notEqual(spawnSync('pgrep', ['-f', `anvil .*${dataDir}`]).status, 0, 'the chain node stopped with the daemon');
  } finally {
    child.kill('SIGKILL');
  }
});
