import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { HearthError } from '../../common/errors.ts';
import { allocTensorData, tensorDtype, type Tensor, type TensorDtype } from '../../common/worker/protocol.ts';

const npyTypes: Record<string, TensorDtype> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '<i4': 'int32',
  '<i8': 'int64',
  '|u1': 'uint8',
  '|i1': 'int8',
  '|b1': 'bool',
};

/** Parses a NumPy .npy file (format 1.x/2.x/3.x, little-endian, C order). */
export function parseNpy(bytes: Uint8Array, label = 'input'): Tensor {
  const bad = (why: string) => new HearthError('input_unreadable', `${label} is not a usable .npy file: ${why}.`);
  if (bytes.length < 10 || bytes[0] !== 0x93 || new TextDecoder().decode(bytes.subarray(1, 6)) !== 'NUMPY') throw bad('missing the NUMPY magic');
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shape === undefined) throw bad('unreadable header');
  if (fortran === 'True') throw bad('Fortran-ordered arrays are not supported');
  const dtype = npyTypes[descr];
  if (!dtype) throw bad(`dtype ${descr} is not supported (use ${Object.keys(npyTypes).join(', ')})`);
  const dims = shape.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw bad('bad shape');
  const count = dims.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(start + headerLength);
  const data = allocTensorData(dtype, count);
  if (body.length !== data.byteLength) throw bad(`expected ${data.byteLength} data bytes, found ${body.length}`);
  new Uint8Array(data.buffer).set(body);
  return { dtype, dims, data };
}

/** Encodes a tensor as a .npy file (format 1.0). */
export function encodeNpy(t: Tensor): Uint8Array {
  const descr = Object.entries(npyTypes).find(([, d]) => d === t.dtype)?.[0] as string;
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((header.length + 10) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + t.data.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 10 + header.length);
  return out;
}

const TENSOR_FIELDS = ['dtype', 'dims', 'data'];

function tensorFromJson(value: unknown, label: string): Tensor {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HearthError('input_unreadable', `${label}: a tensor is an object with "dtype", "dims" and "data".`);
  // A misspelt field would otherwise fall back to its default silently ("type" → float32).
  const unknown = Object.keys(value).filter((key) => !TENSOR_FIELDS.includes(key));
  if (unknown.length > 0) {
    const hint = unknown.includes('type') ? ' (did you mean "dtype"?)' : unknown.includes('shape') ? ' (did you mean "dims"?)' : '';
    throw new HearthError('input_unreadable', `${label}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}${hint}; a tensor has "dtype", "dims" and "data".`);
  }
  const v = value as { dtype?: unknown; dims?: unknown; data?: unknown };
  const dtype = tensorDtype.safeParse(v?.dtype ?? 'float32');
  if (!dtype.success) throw new HearthError('input_unreadable', `${label}: dtype must be one of float32, float64, int32, int64, uint8, int8, bool.`);
  if (!Array.isArray(v.data)) throw new HearthError('input_unreadable', `${label}: "data" must be a flat array of numbers.`);
  const dims = v.dims === undefined ? [v.data.length] : v.dims;
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0)) throw new HearthError('input_unreadable', `${label}: "dims" must be an array of non-negative integers.`);
  const data = allocTensorData(dtype.data, v.data.length);
  v.data.forEach((x, i) => {
    if (typeof x !== 'number' && typeof x !== 'boolean') throw new HearthError('input_unreadable', `${label}: data[${i}] is not a number.`);
    (data as unknown as (number | bigint)[])[i] = dtype.data === 'int64' ? BigInt(Math.trunc(Number(x))) : Number(x);
  });
  return { dtype: dtype.data, dims: dims as number[], data };
}

/**
 * Reads job inputs from a file: `.npy` (one tensor, for the model's only input) or `.json`,
 * either `{ "<input>": {dtype, dims, data}, ... }` or one `{dtype, dims, data}` object.
 * Returns named tensors, or `{ '': tensor }` when the file holds a single unnamed tensor.
 */
export async function readTensorFile(path: string): Promise<Record<string, Tensor>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new HearthError('input_unreadable', `Cannot read the input file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (extname(path).toLowerCase() === '.npy') return { '': parseNpy(bytes, path) };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HearthError('input_unreadable', `The input file ${path} is neither .npy nor valid JSON.`);
  }
  if (json && typeof json === 'object' && 'data' in json) return { '': tensorFromJson(json, path) };
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new HearthError('input_unreadable', `The input file ${path} must hold an object of named tensors.`);
  return Object.fromEntries(Object.entries(json).map(([name, value]) => [name, tensorFromJson(value, `${path}: input "${name}"`)]));
}

/** Plain-JSON form of a tensor (int64 as numbers). */
export function tensorToJson(t: Tensor): { dtype: TensorDtype; dims: number[]; data: number[] } {
  return { dtype: t.dtype, dims: t.dims, data: Array.from(t.data as ArrayLike<number | bigint>, (x) => Number(x)) };
}
