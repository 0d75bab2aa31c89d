import { HearthError } from '../../common/errors.ts';
import { dataMatchesDtype, tensorBytes, type Tensor, type ValueSpec } from '../../common/worker/protocol.ts';

/**
 * Checks a job's inputs against the model's declared inputs before anything reaches ORT:
 * every input present and no extras, dtype, rank, fixed dims, data length, and a total
 * byte cap. ORT's own errors for these are cryptic or, for huge inputs, fatal.
 */
export function validateInputs(specs: ValueSpec[], inputs: Record<string, Tensor>, maxBytes: number): void {
  const known = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(inputs)) {
    if (!known.has(name)) {
      throw new HearthError('input_unknown', `The model has no input named "${name}" (it takes ${[...known].map((n) => `"${n}"`).join(', ')}).`);
    }
  }
  let total = 0;
  for (const spec of specs) {
    const t = inputs[spec.name];
    if (!t) throw new HearthError('input_missing', `Input "${spec.name}" is missing.`);
    if (t.dtype !== spec.dtype) throw new HearthError('input_dtype', `Input "${spec.name}" must be ${spec.dtype}, not ${t.dtype}.`);
    if (!dataMatchesDtype(t.dtype, t.data)) throw new HearthError('input_dtype', `Input "${spec.name}" data is not a ${t.dtype} array.`);
    if (t.dims.length !== spec.shape.length) {
      throw new HearthError('input_shape', `Input "${spec.name}" must have ${spec.shape.length} dimensions ${formatShape(spec.shape)}, got [${t.dims.join(', ')}].`);
    }
    spec.shape.forEach((want, i) => {
      const got = t.dims[i] as number;
      if (want !== null && got !== want) {
        throw new HearthError('input_shape', `Input "${spec.name}" must have shape ${formatShape(spec.shape)}, got [${t.dims.join(', ')}].`);
      }
      if (got === 0) throw new HearthError('input_shape', `Input "${spec.name}" has an empty dimension.`);
    });
    const bytes = tensorBytes(t);
    if (t.data.length !== t.dims.reduce((a, b) => a * b, 1)) {
      throw new HearthError('input_shape', `Input "${spec.name}" has ${t.data.length} values, which does not match its dims [${t.dims.join(', ')}].`);
    }
    total += bytes;
    if (total > maxBytes) {
      throw new HearthError('input_too_large', `The job's inputs exceed the ${formatBytes(maxBytes)} limit.`);
    }
  }
}

/** `[?, 3, 48, ?]` style, with free dims as `?`. */
export function formatShape(shape: (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
