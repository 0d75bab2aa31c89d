// esbuild options for the preload bundle, shared by scripts/build-electron.mjs and the test
// that runs the built bundle the way Electron runs a sandboxed preload (electron/preload.test.ts).
//
// A sandboxed preload is compiled as a function of require, process, exports, module, Buffer,
// global, setImmediate and clearImmediate (Electron's lib/sandboxed_renderer/preload.ts), and its
// require only knows 'electron' and a few stand-ins. So: no banner (the main bundle's
// import.meta.url shim reads __filename, which does not exist there), and platform 'browser' so
// a stray Node import fails the build instead of becoming a require() that throws at run time.
import { fileURLToPath } from 'node:url';

/** @param {string} outfile */
export function preloadBuildOptions(outfile) {
  return {
    entryPoints: [fileURLToPath(new URL('../electron/preload.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2023',
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
  };
}
