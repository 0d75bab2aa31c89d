/** Paths of the hardware fixtures, for tests and benches. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);
/** Folder holding a fake nvidia-smi: 'bin' replays a scenario; the others hang, fail or print garbage. */
export const fakeBin = (kind: 'bin' | 'bin-hang' | 'bin-fail' | 'bin-garbage' | 'bin-rocm') => path.join(FIXTURES, kind);
/** The repository root (core/hardware/testing -> ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
