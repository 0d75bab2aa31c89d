// A stand-in for Electron's Linux distribution folder, for electron-builder's `electronDist`
// (the real runtime cannot be downloaded here). electron-builder copies the folder, renames
// `electron` to the app's executable name, moves LICENSE aside and flips the fuses inside
// the executable; so the stand-in executable carries Electron's fuse wire with Electron 45's
// defaults (@electron/fuses finds it by its sentinel). It is not Electron and cannot run one.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The sentinel @electron/fuses looks for in an Electron binary. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron 45's fuse wire as shipped, in @electron/fuses' order: RunAsNode on, cookie
 * encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off,
 * browser V8 snapshot off, file:// privileges on, wasm trap handlers on.
 */
export const ELECTRON_DEFAULT_FUSES = '101100011';

/** Writes the stand-in into `dir` and returns `dir`. */
export function writeStandInElectron(dir: string): string {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES), Buffer.from('\n')]);
  const script = Buffer.from('#!/bin/sh\necho "This is a stand-in for Electron used by the packaging test; it cannot run Hearth." >&2\nexit 1\n# ');
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, wire]));
  chmodSync(join(dir, 'electron'), 0o755);
  // The other files of Electron's Linux zip that electron-builder handles by name.
  writeFileSync(join(dir, 'chrome-sandbox'), '');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), 'stand-in\n');
  writeFileSync(join(dir, 'locales', 'en-US.pak'), '');
  writeFileSync(join(dir, 'version'), '45.4.1');
  return dir;
}
