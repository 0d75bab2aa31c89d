#!/usr/bin/env node
// The `hearth` command. Hearth targets the current Node LTS; when started by an older
// system Node (20 here), re-run under the Node that npm installed beside the project.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const bundled = join(root, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(bundled)) {
    process.stderr.write(`hearth: Node ${process.versions.node} is too old (22 or newer is needed). Run \`npm install\` in ${root} first.\n`);
    process.exit(1);
  }
  const result = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
// The esbuild bundle (`npm run build:daemon`, part of every build) when there is one: no
// run-time transpiler, a third of the memory. Otherwise, or with HEARTH_FROM_SOURCES=1 (tests
// that must run the code as it is now), the TypeScript sources through tsx, as in a fresh clone.
const bundle = join(root, 'dist', 'daemon', 'hearth.mjs');
let main;
if (existsSync(bundle) && process.env.HEARTH_FROM_SOURCES !== '1') {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../daemon/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
