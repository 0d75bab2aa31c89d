import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FILE_TRANSFER_MIN_BYTES,
  dtypeBytes,
  tensorBytes,
  viewAs,
  type Tensor,
  type WireTensor,
} from '../common/worker/protocol.ts';
import { WorkerError } from './runtime.ts';

/** Turns tensors the host passed as files back into arrays (and removes the files). */
export function readWireInputs(dir: string | undefined, inputs: Record<string, WireTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    if (!('ref' in t)) {
      out[name] = t;
      continue;
    }
    if (!dir) throw new WorkerError('input_unreadable', 'The host sent a file tensor but no exchange folder is set.');
    const path = join(dir, t.ref);
    const bytes = readFileSync(path);
    unlinkSync(path);
    const count = t.dims.reduce((a, b) => a * b, 1);
    const expected = count * dtypeBytes[t.dtype];
    if (bytes.length !== expected) throw new WorkerError('input_shape', `Input "${name}" file holds ${bytes.length} bytes, expected ${expected}.`);
    out[name] = { dtype: t.dtype, dims: t.dims, data: viewAs(t.dtype, bytes, count) };
  }
  return out;
}

/** Writes big outputs to the exchange folder so the result message stays small. */
export function writeWireOutputs(dir: string | undefined, prefix: string, outputs: Record<string, Tensor>): Record<string, WireTensor> {
  if (!dir) return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { ...t, data: t.data.slice() }]));
  const out: Record<string, WireTensor> = {};
  let i = 0;
  for (const [name, t] of Object.entries(outputs)) {
    if (tensorBytes(t) < FILE_TRANSFER_MIN_BYTES) {
      out[name] = { ...t, data: t.data.slice() as Tensor['data'] };
      continue;
    }
    const ref = `${prefix}-out-${i++}.bin`;
    writeFileSync(join(dir, ref), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    out[name] = { dtype: t.dtype, dims: t.dims, ref };
  }
  return out;
}
