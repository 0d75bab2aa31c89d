// Builds the real app bundles, then has electron-builder package them for Linux x64 (`dir`
// target) against a stand-in Electron folder, with every download address pointed at a
// closed port, and checks what would ship: the archive's contents, the unpacked native
// modules, no other platform's binaries, the fuses in the executable, the update config,
// and the size budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Arch, Platform, build } from 'electron-builder';
import { FuseV1Options, FuseState, getCurrentFuseWire } from '@electron/fuses';
import { checkResources, foreignBinaries, listFiles, requiredBinaries } from './package-check.mjs';
import { writeStandInElectron } from './stand-in-electron.ts';

const root = join(import.meta.dirname, '..', '..');
const budget = JSON.parse(readFileSync(join(root, 'build', 'size-budget.json'), 'utf8')) as { resourcesMb: Record<string, number> };

/** Bare module names the bundles require at run time (what esbuild left external). */
function externalRequires(bundle: string): Set<string> {
  const names = new Set<string>();
  for (const [, spec] of readFileSync(bundle, 'utf8').matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
    if (!name.startsWith('node:') && !builtinModules.includes(name)) names.add(name);
  }
  return names;
}

test('electron-builder packages a Linux x64 app with only what it runs, offline', { timeout: 240_000 }, async (t) => {
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
  assert.equal(built.status, 0, `npm run build failed:\n${built.stdout}${built.stderr}`);

  const work = mkdtempSync(join(tmpdir(), 'hearth-packaging-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const electronDist = writeStandInElectron(join(work, 'electron'));
  // Anything electron-builder tried to fetch (Electron, its tools) would hit a closed port.
  for (const name of ['ELECTRON_MIRROR', 'ELECTRON_BUILDER_BINARIES_MIRROR', 'NPM_CONFIG_ELECTRON_MIRROR']) process.env[name] = 'http://127.0.0.1:9/';
  process.env.HTTPS_PROXY = process.env.HTTP_PROXY = 'http://127.0.0.1:9';

  const cwd = process.cwd();
  process.chdir(root); // electron-builder resolves hook paths ("./build/…") from the working directory
  try {
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: { electronDist, electronVersion: '45.4.1', directories: { output: join(work, 'out') } },
      publish: 'never',
    });
  } finally {
    process.chdir(cwd);
  }

  const appDir = join(work, 'out', 'linux-unpacked');
  const resources = join(appDir, 'resources');
  const { problems, mb, asar, unpacked } = checkResources(resources, 'linux', 'x64', budget.resourcesMb['linux-x64']);
  t.diagnostic(`app resources ${mb.toFixed(1)} MB: app.asar ${(statSync(join(resources, 'app.asar')).size / 1024 ** 2).toFixed(1)} MB, ${asar.length} files listed in it, ${unpacked.length} unpacked`);
  assert.deepEqual(problems, []);

  const inAsar = new Set(asar.filter((f) => !f.unpacked).map((f) => f.path));
  for (const file of ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
    assert.ok(inAsar.has(file), `${file} is not in app.asar`);
  }
  assert.ok(unpacked.includes('dist/worker/main.cjs'), 'the worker bundle is not unpacked');

  // Only the bundles and the packages they load: no sources, maps, tests or bundled libraries.
  const top = new Set(asar.map((f) => f.path.split('/')[0]));
  assert.deepEqual([...top].sort(), ['dist', 'node_modules', 'package.json']);
  const all = asar.map((f) => f.path);
  assert.deepEqual(all.filter((p) => /\.(map|ts|tsx|md)$/.test(p) && !p.endsWith('.d.ts')), []);
  for (const bundled of ['react', 'react-dom', 'zustand', 'uplot', '@xterm/xterm', 'ethers', 'zod', 'tsx', 'esbuild', '@nomicfoundation']) {
    assert.deepEqual(all.filter((p) => p.startsWith(`node_modules/${bundled}/`)), [], `${bundled} is packaged`);
  }

  // Every package the bundles require is in the app.
  const packaged = new Set(all.filter((p) => p.startsWith('node_modules/') && p.endsWith('/package.json')).map((p) => p.slice('node_modules/'.length, -'/package.json'.length)));
  // Every script under dist/ but the renderer's (the daemon and simulator bundles too, when built).
  const bundles = listFiles(join(root, 'dist')).filter((f) => /\.[cm]?js$/.test(f) && !f.startsWith('renderer/'));
  const needed = new Set(bundles.flatMap((b) => [...externalRequires(join(root, 'dist', b))]));
  needed.delete('electron');
  assert.ok(needed.has('onnxruntime-node'), 'the worker bundle no longer requires onnxruntime-node: is the check still reading requires?');
  assert.deepEqual([...needed].filter((name) => !packaged.has(name)), []);

  // The native modules and Anvil for linux-x64 are unpacked, and nothing for other platforms.
  for (const file of requiredBinaries('linux', 'x64')) assert.ok(unpacked.includes(file), file);
  assert.ok(unpacked.includes('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1'));
  assert.deepEqual(foreignBinaries([...all, ...unpacked], 'linux', 'x64'), []);
  assert.deepEqual([...all, ...unpacked].filter((p) => /\.(dll|dylib|exe|pdb)$/.test(p) || /darwin|win32/.test(p)), []);
  const anvil = statSync(join(resources, 'app.asar.unpacked', 'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil'));
  assert.ok((anvil.mode & 0o111) !== 0, 'the Anvil binary lost its executable bit');

  // electron-builder flipped the fuses in the packaged executable itself.
  const wire = await getCurrentFuseWire(join(appDir, 'hearth'));
  const expected: [FuseV1Options, FuseState][] = [
    [FuseV1Options.RunAsNode, FuseState.DISABLE],
    [FuseV1Options.EnableCookieEncryption, FuseState.ENABLE],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseState.DISABLE],
    [FuseV1Options.EnableNodeCliInspectArguments, FuseState.DISABLE],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, FuseState.ENABLE],
    [FuseV1Options.OnlyLoadAppFromAsar, FuseState.ENABLE],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, FuseState.DISABLE],
  ];
  for (const [fuse, state] of expected) assert.equal(wire[fuse], state, `fuse ${FuseV1Options[fuse]}`);

  // electron-updater's feed for this platform and arch.
  const update = readFileSync(join(resources, 'app-update.yml'), 'utf8');
  assert.match(update, /provider: generic/);
  assert.match(update, /url: https:\/\/downloads\.hearth\.network\/linux\/x64/);
});
