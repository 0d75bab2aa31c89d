// The AppImage's answer to Ubuntu 24.04+ (AppArmor refuses unprivileged user namespaces and
// the SUID chrome-sandbox cannot work from a nosuid FUSE mount, so Electron aborts): the
// launcher electron-builder writes (AppRun) probes `unshare -Ur true` and adds --no-sandbox
// only when the probe fails. This runs that exact launcher with the probe forced each way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAppRunScript } from 'app-builder-lib/out/targets/appimage/appImageUtil.js';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';

const root = join(import.meta.dirname, '..', '..');

function launch(userNamespaces: boolean, args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-apprun-'));
  try {
    const appDir = join(dir, 'app');
    const bin = join(dir, 'bin');
    mkdirSync(appDir);
    mkdirSync(bin);
    const appRun = generateAppRunScript({ ExecutableName: 'hearth', DesktopFileName: 'hearth.desktop', ProductFilename: 'Hearth', ProductName: 'Hearth', ResourceName: 'appimagekit-hearth' });
    writeFileSync(join(appDir, 'AppRun'), appRun, { mode: 0o755 });
    // The "app" records the arguments it was started with.
    writeFileSync(join(appDir, 'hearth'), `#!/bin/sh\nfor a in "$@"; do echo "$a"; done > "${join(dir, 'args')}"\n`, { mode: 0o755 });
    // The probe: AppArmor's refusal makes `unshare -Ur true` fail.
    writeFileSync(join(bin, 'unshare'), `#!/bin/sh\nexit ${userNamespaces ? 0 : 1}\n`);
    chmodSync(join(bin, 'unshare'), 0o755);
    const result = spawnSync('bash', [join(appDir, 'AppRun'), ...args], {
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, APPDIR: appDir, APPIMAGE: join(dir, 'Hearth.AppImage') },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    return readFileSync(join(dir, 'args'), 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('where user namespaces work, the AppImage keeps the Chromium sandbox', () => {
  assert.deepEqual(launch(true, []), []);
  assert.deepEqual(launch(true, ['--hidden']), ['--hidden']);
});

test('where they are refused (Ubuntu 24.04+ AppArmor), it starts with --no-sandbox instead of aborting', () => {
  assert.deepEqual(launch(false, []), ['--no-sandbox']);
  assert.deepEqual(launch(false, ['--hidden']), ['--no-sandbox', '--hidden']);
  // Never twice.
  assert.deepEqual(launch(false, ['--no-sandbox']), ['--no-sandbox']);
});

test('the desktop entry adds no --no-sandbox of its own: the launcher decides', async () => {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  assert.deepEqual(config.appImage?.executableArgs, []);
});

test("the deb installs electron-builder's AppArmor profile granting userns to /opt/Hearth/hearth", async () => {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  // Our own scripts would replace the ones that install the profile.
  assert.equal(config.deb?.afterInstall, undefined);
  assert.equal(config.deb?.appArmorProfile, undefined);
  const templates = join(root, 'node_modules', 'app-builder-lib', 'templates', 'linux');
  assert.match(readFileSync(join(templates, 'apparmor-profile.tpl'), 'utf8'), /profile "\$\{executable\}" "\/opt\/\$\{sanitizedProductName\}\/\$\{executable\}" flags=\(unconfined\) \{\s+userns,/);
  assert.match(readFileSync(join(templates, 'after-install.tpl'), 'utf8'), /apparmor_parser --replace/);
});
