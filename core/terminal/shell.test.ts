import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../test-support.ts';
import { hearthCommand, launcherScript } from './launcher.ts';
import { consoleShell, userShell } from './shell.ts';

test('the shell is the user\'s own where it exists, else bash or sh; PowerShell or COMSPEC on Windows', () => {
  const exists = (path: string) => ['/usr/bin/fish', '/bin/bash'].includes(path);
  assert.equal(userShell({ SHELL: '/usr/bin/fish' }, 'linux', exists).file, '/usr/bin/fish');
  assert.equal(userShell({ SHELL: '/nowhere/zsh' }, 'linux', exists).file, '/bin/bash', 'a SHELL that does not exist');
  assert.equal(userShell({ SHELL: 'fish' }, 'linux', exists).file, '/bin/bash', 'a relative SHELL is not trusted');
  assert.equal(userShell({}, 'darwin', () => false).file, '/bin/sh');
  assert.equal(userShell({ COMSPEC: 'C:\\Windows\\system32\\cmd.exe' }, 'win32').file, 'C:\\Windows\\system32\\cmd.exe');
  assert.equal(userShell({}, 'win32').file, 'powershell.exe');
});

test('the environment puts the launcher first on the PATH, names the profile and drops what would break the shell', () => {
  const spec = consoleShell({ dataDir: '/data', launcherDir: '/data/cache/console-bin', env: { PATH: '/usr/bin:/bin', NODE_OPTIONS: '--inspect', ELECTRON_RUN_AS_NODE: '1', HOME: '/home/u' }, platform: 'linux' });
  assert.equal(spec.env['PATH'], '/data/cache/console-bin:/usr/bin:/bin');
  assert.equal(spec.env['HEARTH_DATA_DIR'], '/data');
  assert.equal(spec.cwd, '/data');
  assert.equal(spec.env['HOME'], '/home/u');
  assert.equal(spec.env['NODE_OPTIONS'], undefined);
  assert.equal(spec.env['ELECTRON_RUN_AS_NODE'], undefined);
  const windows = consoleShell({ dataDir: 'C:\\Hearth', launcherDir: 'C:\\Hearth\\cache\\console-bin', env: { Path: 'C:\\Windows' }, platform: 'win32' });
  assert.equal(windows.env['Path'], 'C:\\Hearth\\cache\\console-bin;C:\\Windows', 'Windows keeps its Path key and ; separator');
  assert.equal(windows.env['PATH'], undefined);
});

test('the launcher quotes paths with spaces and quotes, and runs Electron as Node only when it must', async () => {
  const { dir, cleanup } = await tempDir("hearth launcher's ");
  try {
    // A stand-in "node" that prints its arguments, at a path with a space and a quote.
    const program = join(dir, 'fake node');
    await writeFile(program, '#!/bin/sh\nprintf "[%s]" "$@"\n', { mode: 0o700 });
    const script = launcherScript({ program, args: [join(dir, "it's", 'hearth.mjs')] }, 'linux');
    const launcher = join(dir, script.name);
    await writeFile(launcher, script.text, { mode: 0o700 });
    const out = execFileSync(launcher, ['status', '--json', 'a b'], { encoding: 'utf8' });
    assert.equal(out, `[${join(dir, "it's", 'hearth.mjs')}][status][--json][a b]`);
    const cmd = launcherScript({ program: 'C:\\Program Files\\Hearth\\node.exe', args: ['C:\\Program Files\\Hearth\\bin\\hearth.mjs'] }, 'win32');
    assert.equal(cmd.name, 'hearth.cmd');
    assert.match(cmd.text, /^@echo off\r\n/);
    assert.match(cmd.text, /"C:\\Program Files\\Hearth\\node\.exe" "C:\\Program Files\\Hearth\\bin\\hearth\.mjs" %\*\r\n$/);
  } finally {
    await cleanup();
  }
  assert.deepEqual(hearthCommand('/app/bin/hearth.mjs', { execPath: '/usr/bin/node', electron: false, platform: 'linux' }), { program: '/usr/bin/node', args: ['/app/bin/hearth.mjs'] });
  assert.equal(hearthCommand('/nowhere/bin/hearth.mjs', { execPath: '/opt/Hearth/hearth', electron: true, platform: 'linux' }), null, 'Electron never runs as Node');
});
