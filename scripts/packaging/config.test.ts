// The packaging configuration read the way electron-builder reads it, checked against its
// own schema and against what Hearth needs (targets, fuses, updates, budgets, trimming),
// plus the rules that decide which native files belong to which target, and the icons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration, TargetConfiguration } from 'electron-builder';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { foreignBinaries, requiredBinaries } from './package-check.mjs';
import { SIZES, buildIcons } from '../build-icons.mjs';

const root = join(import.meta.dirname, '..', '..');
const loadConfig = () => getConfig(root, join(root, 'electron-builder.yml'), null);
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  homepage?: string;
  author?: { name?: string; email?: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const budget = JSON.parse(readFileSync(join(root, 'build', 'size-budget.json'), 'utf8')) as { resourcesMb: Record<string, number>; installerMb: Record<string, number> };

function targetsOf(platform: { target?: unknown } | null | undefined): TargetConfiguration[] {
  const list = Array.isArray(platform?.target) ? (platform.target as unknown[]) : [];
  return list.map((t) => (typeof t === 'string' ? { target: t } : (t as TargetConfiguration)));
}

test('electron-builder accepts the configuration against its own schema', async () => {
  const config = await loadConfig();
  await validateConfiguration(config, new DebugLogger(false));
});

test('installers: NSIS one-click, DMG for Apple silicon only, AppImage and deb; names carry version and arch', async () => {
  const config: Configuration = await loadConfig();
  assert.deepEqual(targetsOf(config.win).map((t) => [t.target, t.arch]), [['nsis', ['x64']]]);
  assert.equal(config.nsis?.oneClick, true);
  // onnxruntime-node 1.30 has no darwin-x64 binary: an Intel build would have no inference.
  assert.deepEqual(targetsOf(config.mac).map((t) => [t.target, t.arch]), [['dmg', ['arm64']]]);
  assert.deepEqual(targetsOf(config.linux).map((t) => t.target).sort(), ['AppImage', 'deb']);
  assert.match(String(config.artifactName), /\$\{version\}/);
  assert.match(String(config.artifactName), /\$\{arch\}/);
});

test('the deb has what it needs: homepage and a maintainer email', () => {
  assert.match(packageJson.homepage ?? '', /^https:\/\//);
  assert.match(packageJson.author?.email ?? '', /^[^@\s]+@[^@\s]+\.[a-z]+$/);
});

test('every fuse is set as the security review requires', async () => {
  const fuses = (await loadConfig()).electronFuses;
  assert.ok(fuses, 'electronFuses is missing');
  assert.equal(fuses.runAsNode, false);
  assert.equal(fuses.enableCookieEncryption, true);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
  assert.equal(fuses.grantFileProtocolExtraPrivileges, false);
});

test('native code is unpacked from the archive, and never rebuilt against Electron headers', async () => {
  const config = await loadConfig();
  assert.equal(config.asar, true);
  const unpack = [config.asarUnpack].flat().map(String);
  for (const pattern of ['node_modules/onnxruntime-node/**', 'node_modules/node-pty/**', 'node_modules/@foundry-rs/anvil-*/**']) {
    assert.ok(unpack.includes(pattern), `asarUnpack lacks ${pattern}`);
  }
  assert.equal(config.npmRebuild, false);
});

test('updates: a generic publish provider per OS and arch, so app-update.yml is written', async () => {
  const publish = [(await loadConfig()).publish].flat()[0] as { provider?: string; url?: string } | undefined;
  assert.equal(publish?.provider, 'generic');
  assert.match(publish?.url ?? '', /^https:\/\/.+\$\{os\}\/\$\{arch\}$/);
});

test('each platform block repeats a positive file pattern (a list of only exclusions copies the whole project)', async () => {
  const config = await loadConfig();
  for (const platform of [config.linux, config.win, config.mac]) {
    const files = [platform?.files].flat().filter((f): f is string => typeof f === 'string');
    assert.ok(files.some((f) => !f.startsWith('!')), JSON.stringify(files));
  }
});

test('a size budget exists for every target the configuration builds', async () => {
  const config = await loadConfig();
  const os = { linux: config.linux, win32: config.win, darwin: config.mac };
  for (const [platform, block] of Object.entries(os)) {
    for (const target of targetsOf(block)) {
      for (const arch of [target.arch].flat()) assert.ok((budget.resourcesMb[`${platform}-${String(arch)}`] ?? 0) > 0, `${platform}-${String(arch)}`);
    }
  }
  for (const kind of ['AppImage', 'deb', 'exe', 'dmg']) assert.ok(budget.installerMb[kind]! > 0, kind);
});

test('renderer-only packages are devDependencies: Vite bundles them, the app never loads them', () => {
  for (const name of ['react', 'react-dom', 'zustand', 'uplot', '@xterm/xterm', '@xterm/addon-fit', '@fontsource-variable/inter']) {
    assert.equal(packageJson.dependencies[name], undefined, `${name} is still a dependency`);
    assert.ok(packageJson.devDependencies[name], `${name} is missing from devDependencies`);
  }
});

test('foreign binaries are told apart per platform and architecture', () => {
  const paths = [
    'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    'node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
    'node_modules/onnxruntime-node/bin/napi-v6/win32/x64/DirectML.dll',
    'node_modules/onnxruntime-node/bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib',
    'node_modules/node-pty/build/Release/pty.node',
    'node_modules/node-pty/prebuilds/darwin-arm64/pty.node',
    'node_modules/node-pty/prebuilds/win32-x64/conpty.node',
    'node_modules/node-pty/third_party/conpty/1.23/win10-x64/conpty.dll',
    'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil',
    'node_modules/@foundry-rs/anvil-linux-arm64/bin/anvil',
    'node_modules/@foundry-rs/anvil-win32-amd64/bin/anvil.exe',
    'node_modules/somewhere/helper.exe',
    'dist/electron/main.cjs',
  ];
  const keep = (platform: string, arch: string) => paths.filter((p) => !foreignBinaries(paths, platform, arch).includes(p));
  assert.deepEqual(keep('linux', 'x64'), [paths[0], paths[4], paths[8], paths[12]]);
  assert.deepEqual(keep('linux', 'arm64'), [paths[1], paths[4], paths[9], paths[12]]);
  assert.deepEqual(keep('win32', 'x64'), [paths[2], paths[6], paths[7], paths[10], paths[11], paths[12]]);
  assert.deepEqual(keep('darwin', 'arm64'), [paths[3], paths[5], paths[12]]);
  assert.deepEqual(requiredBinaries('win32', 'x64'), [
    'node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node',
    'node_modules/node-pty/prebuilds/win32-x64/pty.node',
    'node_modules/@foundry-rs/anvil-win32-amd64/bin/anvil.exe',
  ]);
});

test('icons: every PNG size from the SVG, an ICO of PNGs up to 256 and an ICNS up to 1024', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-icons-'));
  try {
    await buildIcons(join(root, 'build', 'icon.svg'), dir);
    const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];
    for (const size of SIZES) assert.deepEqual(pngSize(readFileSync(join(dir, `${size}x${size}.png`))), [size, size]);
    assert.deepEqual(pngSize(readFileSync(join(dir, 'icon.png'))), [1024, 1024]);

    const ico = readFileSync(join(dir, 'icon.ico'));
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1]);
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
      const at = 6 + i * 16;
      const png = ico.subarray(ico.readUInt32LE(at + 12), ico.readUInt32LE(at + 12) + ico.readUInt32LE(at + 8));
      const declared = ico.readUInt8(at) || 256;
      assert.deepEqual(pngSize(png), [declared, declared]);
      return declared;
    });
    assert.deepEqual(entries, [16, 24, 32, 48, 64, 128, 256]);

    const icns = readFileSync(join(dir, 'icon.icns'));
    assert.equal(icns.toString('ascii', 0, 4), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    const types = new Map<string, number>();
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      types.set(icns.toString('ascii', at, at + 4), pngSize(icns.subarray(at + 8))[0]!);
    }
    assert.equal(types.get('ic10'), 1024);
    assert.equal(types.get('ic07'), 128);
    assert.equal(types.get('icp4'), 16);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
