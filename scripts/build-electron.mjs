#!/usr/bin/env node
// Bundles the Electron shell (main + preload), the daemon/CLI and the child processes (worker,
// demand simulator) into dist/ with esbuild, so neither shell transpiles TypeScript at run time.
// Native and heavy packages stay external and are loaded from node_modules at run time.
//   node scripts/build-electron.mjs [--worker-only | --daemon-only] [--outdir DIR]
// --outdir builds into another folder laid out like the project root (tests).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { preloadBuildOptions } from './preload-build.mjs';

const { values: flags } = parseArgs({ options: { 'worker-only': { type: 'boolean' }, 'daemon-only': { type: 'boolean' }, outdir: { type: 'string' } } });
const out = (path) => join(flags.outdir ?? '.', path);
const external = ['electron', 'onnxruntime-node', 'node-pty', 'systeminformation', 'ws', 'bufferutil', 'utf-8-validate', '@foundry-rs/anvil'];
// import.meta.url has no meaning in a CommonJS bundle: point it at the bundle file itself.
const importMetaShim = { banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" }, define: { 'import.meta.url': '__importMetaUrl' } };
// The only other import.meta use is the source-checkout entries (import.meta.resolve of tsx in
// core/app/layout.ts), which a bundle never reaches: bundled code starts bundled children.
const logOverride = { 'empty-import-meta': 'silent' };
// V8 keeps every script's source in memory, and one non-ASCII character (a '—' in a
// comment) makes all of it two bytes a character: no comments or whitespace, ASCII only.
// Identifiers stay, so stack traces read as they are (the source maps have the rest).
const lean = { minifyWhitespace: true, minifySyntax: true, charset: 'ascii' };
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, external, logLevel: 'warning', logOverride, ...lean, ...importMetaShim };

const workerOnly = flags['worker-only'];
const daemonOnly = flags['daemon-only'];
if (!workerOnly && !daemonOnly) {
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: out('dist/electron/main.cjs') });
  // A sandboxed preload has no __filename and may only require('electron'): its own options.
  await build(preloadBuildOptions(out('dist/electron/preload.cjs')));
  await (await import('./build-tray-icons.mjs')).buildTrayIcons(out('dist/electron/tray'));
}
if (existsSync('worker/main.ts')) await build({ ...common, entryPoints: ['worker/main.ts'], outfile: out('dist/worker/main.cjs') });
if (!workerOnly) {
  // The demand simulator runs as its own process (ports.launcher): bundled like the worker.
  await build({ ...common, entryPoints: ['core/requester/simulator-main.ts'], outfile: out('dist/requester/simulator.cjs') });
  await buildDaemon();
}
process.stdout.write(`Built ${workerOnly ? 'dist/worker' : daemonOnly ? 'dist/daemon, dist/worker and dist/requester' : 'dist/electron, dist/daemon, dist/worker and dist/requester'}.\n`);

/**
 * The `hearth` command and daemon (bin/hearth.mjs runs it): ESM with code splitting, so what
 * core loads with import() on first use (the chain, SQLite, hardware parsers) is a chunk read
 * only then. Chunks sit beside the entry, two folders under the root like every bundle
 * (core/app/layout.ts relies on that).
 */
async function buildDaemon() {
  // Chunk names carry a content hash: clear the old ones so dist/ holds one build.
  rmSync(out('dist/daemon'), { recursive: true, force: true });
  await build({
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    splitting: true,
    sourcemap: true,
    external,
    logLevel: 'warning',
    entryPoints: { hearth: 'daemon/cli/main.ts' },
    outdir: out('dist/daemon'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    ...lean,
    // Bundled CommonJS dependencies call require() for Node built-ins; ESM has none of its own.
    banner: { js: "import { createRequire as __hearthRequire } from 'node:module'; const require = __hearthRequire(import.meta.url);" },
  });
}
