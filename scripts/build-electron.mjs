#!/usr/bin/env node
// Bundles the Electron shell (main + preload) and the worker entry into dist/ with esbuild.
// Native and heavy packages stay external and are loaded from node_modules at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { preloadBuildOptions } from './preload-build.mjs';

const external = ['electron', 'onnxruntime-node', 'node-pty', 'systeminformation', 'ws', 'bufferutil', 'utf-8-validate'];
// import.meta.url has no meaning in a CommonJS bundle: point it at the bundle file itself.
const importMetaShim = { banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" }, define: { 'import.meta.url': '__importMetaUrl' } };
// The only other import.meta use is the source-checkout worker entry (import.meta.resolve of
// tsx), which the desktop app never reaches: it passes the bundled worker as ports.workerEntry.
const logOverride = { 'empty-import-meta': 'silent' };
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, external, logLevel: 'warning', logOverride, ...importMetaShim };

const workerOnly = process.argv.includes('--worker-only');
if (!workerOnly) {
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' });
  // A sandboxed preload has no __filename and may only require('electron'): its own options.
  await build(preloadBuildOptions('dist/electron/preload.cjs'));
}
if (!workerOnly) await (await import('./build-tray-icons.mjs')).buildTrayIcons('dist/electron/tray');
if (existsSync('worker/main.ts')) await build({ ...common, entryPoints: ['worker/main.ts'], outfile: 'dist/worker/main.cjs' });
process.stdout.write(workerOnly ? 'Built dist/worker.\n' : 'Built dist/electron and dist/worker.\n');
