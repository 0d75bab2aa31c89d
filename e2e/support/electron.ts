// @ts-expect-error -- a plain .mjs helper shared with `npm start`; it has no type declarations.
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

/**
 * The Electron binary, if this machine has one. Looked up without `require('electron')`,
 * which would try to download it (and fail offline with a stack trace).
 */
export function electronBinary(): { path: string } | { reason: string } {
  const path = (findElectronBinary as () => string | null)();
  if (path) return { path };
  return {
    reason:
      'the Electron runtime is not installed on this machine (its download is skipped or impossible offline); the desktop project runs where it is.',
  };
}
