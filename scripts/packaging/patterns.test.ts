// Windows and macOS cannot be packaged here, so their file patterns are checked the way
// electron-builder applies them to node_modules (its own FileMatcher, `${arch}` expanded):
// over the real onnxruntime-node and node-pty folders and every Anvil package name, each
// target keeps its own binaries and none of another platform's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { foreignBinaries, listFiles, requiredBinaries } from './package-check.mjs';

const root = join(import.meta.dirname, '..', '..');
const ANVIL = ['darwin-arm64', 'darwin-amd64', 'linux-arm64', 'linux-amd64', 'win32-amd64'];

/** The exclusions electron-builder applies to node_modules for one platform block. */
function exclusions(config: Configuration, platform: 'linux' | 'win' | 'mac'): string[] {
  const common = [config.files].flat().flatMap((f) => (typeof f === 'string' ? [f] : f && typeof f === 'object' ? [f.filter ?? []].flat() : []));
  const own = [config[platform]?.files].flat().filter((f): f is string => typeof f === 'string');
  return [...common, ...own].filter((p) => p.startsWith('!'));
}

function kept(config: Configuration, platform: 'linux' | 'win' | 'mac', arch: string): string[] {
  const matcher = new FileMatcher(root, root, (p) => p.replaceAll('${arch}', arch), ['**/*', ...exclusions(config, platform)]);
  const filter = matcher.createFilter();
  const candidates = [
    ...listFiles(join(root, 'node_modules', 'onnxruntime-node')).map((f) => `node_modules/onnxruntime-node/${f}`),
    ...listFiles(join(root, 'node_modules', 'node-pty')).map((f) => `node_modules/node-pty/${f}`),
    ...ANVIL.map((p) => `node_modules/@foundry-rs/anvil-${p}/bin/${p.startsWith('win32') ? 'anvil.exe' : 'anvil'}`),
  ];
  const fileStat = statSync(join(root, 'package.json'));
  return candidates.filter((path) => filter(join(root, path), fileStat));
}

const targets: ['linux' | 'win' | 'mac', string, string][] = [
  ['linux', 'linux', 'x64'],
  ['win', 'win32', 'x64'],
  ['mac', 'darwin', 'arm64'],
];

for (const [block, platform, arch] of targets) {
  test(`the ${platform}-${arch} app keeps its own native files and no other platform's`, async () => {
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    const files = kept(config, block, arch);
    assert.deepEqual(foreignBinaries(files, platform, arch), []);
    // node-pty's Linux binding is compiled at install, so only a Linux machine has it.
    const required = requiredBinaries(platform, arch).filter((f) => platform === 'linux' || !f.includes('node-pty/build/'));
    for (const file of required) assert.ok(files.includes(file), `${file} would not be packaged`);
    // Sources, maps and declarations of these packages stay out.
    assert.deepEqual(files.filter((f) => /\.(ts|map|md|pdb)$/.test(f) || /\/(src|lib\/.*\.test\.js|script)\//.test(f)), []);
  });
}
