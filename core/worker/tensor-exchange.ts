/**
 * Big tensors cross between host and worker as files in a private exchange folder (tmpfs on
 * Linux) rather than inside the JSON message: the host writes inputs there, the worker writes
 * outputs, and each side reads and removes what it is given. Small tensors stay inline.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HearthError } from '../../common/errors.ts';
import { FILE_TRANSFER_MIN_BYTES, dtypeBytes, tensorBytes, viewAs, type Tensor, type WireTensor } from '../../common/worker/protocol.ts';

export interface TensorExchange {
  /** The folder, or undefined when every tensor goes inline. */
  dir: string | undefined;
  /** Makes the folder (this user only) before a worker starts. */
  open(): void;
  /** Removes the folder and whatever is left in it, when the worker has gone. */
  clear(): void;
  /** Inputs as the worker is sent them, and the files written for them (to remove after the job). */
  toWire(inputs: Record<string, Tensor>): { wire: Record<string, WireTensor>; files: string[] };
  /**
   * Outputs read back from the worker's files (their sizes were checked against the output cap
   * already). `onViolation` hears a file the worker had no right to use, or of the wrong size.
   */
  fromWire(outputs: Record<string, WireTensor>, onViolation: (detail: string) => void): Promise<Record<string, Tensor>>;
}

/** `setting` false: inline only; a path: that folder; undefined: /dev/shm on Linux, else `workDir/xfer`. */
export function createTensorExchange(setting: string | false | undefined, workDir: string): TensorExchange {
  const dir =
    setting === false
      ? undefined
      : (setting ?? (process.platform === 'linux' && existsSync('/dev/shm') ? join('/dev/shm', `hearth-worker-${process.pid}-${randomBytes(4).toString('hex')}`) : join(workDir, 'xfer')));
  let counter = 0;
  return {
    dir,
    open() {
      if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
    },
    clear() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    toWire(inputs) {
      if (!dir) return { wire: inputs, files: [] };
      const wire: Record<string, WireTensor> = {};
      const files: string[] = [];
      for (const [name, t] of Object.entries(inputs)) {
        if (tensorBytes(t) < FILE_TRANSFER_MIN_BYTES) {
          wire[name] = t;
          continue;
        }
        const ref = `h${++counter}-in.bin`;
        const path = join(dir, ref);
        writeFileSync(path, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
        files.push(path);
        wire[name] = { dtype: t.dtype, dims: t.dims, ref };
      }
      return { wire, files };
    },
    async fromWire(outputs, onViolation) {
      const result: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(outputs)) {
        if (!('ref' in t)) {
          result[name] = t;
          continue;
        }
        if (!dir) {
          onViolation('file tensor without an exchange folder');
          throw new HearthError('worker_protocol', 'The inference worker returned a file it was not allowed to use.');
        }
        const path = join(dir, t.ref);
        const bytes = await readFile(path).catch(() => undefined);
        void unlink(path).catch(() => undefined);
        const count = t.dims.reduce((a, b) => a * b, 1);
        if (!bytes || bytes.length !== count * dtypeBytes[t.dtype]) {
          onViolation(`output file ${t.ref} has the wrong size`);
          throw new HearthError('worker_protocol', `The inference worker's output "${name}" was missing or the wrong size.`);
        }
        result[name] = { dtype: t.dtype, dims: t.dims, data: viewAs(t.dtype, bytes, count) };
      }
      return result;
    },
  };
}
