/**
 * What travels off-chain for a market job, shared by the provider's market agent and the
 * requester (CLI and demand simulator). On-chain a job carries only `modelHash`,
 * `inputHash` and `inputUri`; the bytes at `inputUri` are a JSON *input document* whose
 * sha256 is `inputHash`. The provider runs it and POSTs a *result delivery* to the
 * document's `resultUri`, signed by its provider key, then commits the result's hash.
 *
 * Hashes are sha256 written as bytes32 (`0x` + 64 hex), like the model catalog's.
 */
import { decodeBase64, encodeBase64, getBytes, sha256, toUtf8Bytes, verifyMessage } from 'ethers';
import { z } from 'zod';

export const JOB_FORMAT_VERSION = 1;
/** Largest input document a provider fetches (streamed and counted, never trusted from headers). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Largest result delivery a requester accepts. */
export const MAX_RESULT_BYTES = 96 * 1024 * 1024;

export const bytes32Text = z.string().regex(/^0x[0-9a-f]{64}$/i, 'an 0x-prefixed 32-byte hex value');

const jsonDtype = z.enum(['float32', 'float64', 'int32', 'int64', 'uint8', 'int8', 'bool']);
export type JsonTensorDtype = z.infer<typeof jsonDtype>;
const BYTES_PER: Record<JsonTensorDtype, number> = { float32: 4, float64: 8, int32: 4, int64: 8, uint8: 1, int8: 1, bool: 1 };

/** A tensor in JSON: little-endian raw values, base64. The length is checked against the dims. */
export const jsonTensor = z
  .object({
    dtype: jsonDtype,
    dims: z.array(z.number().int().nonnegative().max(2 ** 31)).min(1).max(8),
    data: z.string().max(Math.ceil(MAX_RESULT_BYTES / 3) * 4),
  })
  .strict()
  .superRefine((t, ctx) => {
    const count = t.dims.reduce((a, b) => a * b, 1);
    const bytes = base64Length(t.data);
    if (bytes !== count * BYTES_PER[t.dtype]) {
      ctx.addIssue({ code: 'custom', message: `dims [${t.dims.join(', ')}] of ${t.dtype} need ${count * BYTES_PER[t.dtype]} bytes, the data has ${bytes}` });
    }
  });
export type JsonTensor = z.infer<typeof jsonTensor>;

const tensorName = z.string().regex(/^[A-Za-z0-9_.:/-]{1,128}$/, 'a tensor name of letters, digits and _.:/-');

/** The document at a job's inputUri. */
export const jobInputDocument = z
  .object({
    version: z.literal(JOB_FORMAT_VERSION),
    /** Catalog id the requester means; the on-chain modelHash is what is checked. */
    model: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    inputs: z.record(tensorName, jsonTensor).refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 16, '1 to 16 inputs'),
    /** Where the provider POSTs its result delivery (http or https). */
    resultUri: z.url({ protocol: /^https?$/ }).max(2048),
  })
  .strict();
export type JobInputDocument = z.infer<typeof jobInputDocument>;

/** What the provider POSTs to resultUri. */
export const resultDelivery = z
  .object({
    version: z.literal(JOB_FORMAT_VERSION),
    chainId: z.number().int().positive(),
    market: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    jobId: z.string().regex(/^\d{1,78}$/),
    provider: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    outputs: z.record(tensorName, jsonTensor),
    resultHash: bytes32Text,
    /** EIP-191 signature of `deliveryMessage(...)` by `provider`. */
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
  })
  .strict();
export type ResultDelivery = z.infer<typeof resultDelivery>;

function base64Length(text: string): number {
  const clean = text.replace(/=+$/, '');
  return Math.floor((clean.length * 3) / 4);
}

/** Units a job pays for: the rows of its first input's leading (batch) dimension. */
export function unitsOf(doc: JobInputDocument): number {
  const first = Object.values(doc.inputs)[0];
  return first?.dims[0] ?? 0;
}

/** sha256 of bytes as bytes32 text (lower-case). */
export function hashBytes(bytes: Uint8Array): string {
  return sha256(bytes).toLowerCase();
}

/** A catalog sha256 (64 hex) as the bytes32 the market stores. */
export function modelHashOf(sha256Hex: string): string {
  return `0x${sha256Hex.toLowerCase().replace(/^0x/, '')}`;
}

/** Encodes raw little-endian values of a typed array as a JSON tensor. */
export function toJsonTensor(dtype: JsonTensorDtype, dims: number[], data: ArrayBufferView): JsonTensor {
  return { dtype, dims, data: encodeBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
}

/** The raw bytes of a JSON tensor (already validated by `jsonTensor`). */
export function tensorBytes(t: JsonTensor): Uint8Array {
  return decodeBase64(t.data);
}

/** How a side computes the result hash's pieces; Node passes node:crypto and Buffer (many times faster on large outputs). */
export interface ResultHashing {
  /** base64 text to bytes. */
  decode(text: string): Uint8Array;
  /** sha256 over the parts in order, as bytes32 text. */
  sha256(parts: Uint8Array[]): string;
}

const portableHashing: ResultHashing = {
  decode: (text) => decodeBase64(text),
  sha256: (parts) => {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return hashBytes(all);
  },
};

/** The framing of one output in the result hash: `name\0dtype\0dims\0` before its raw bytes. */
export function resultHashHeader(name: string, t: { dtype: string; dims: number[] }): Uint8Array {
  return toUtf8Bytes(`${name}\0${t.dtype}\0${t.dims.join(',')}\0`);
}

/**
 * The result hash: sha256 over each output, in name order, of `name\0dtype\0dims\0` and its
 * raw bytes. Independent of JSON formatting, so provider and requester agree exactly.
 */
export function resultHashOf(outputs: Record<string, JsonTensor>, hashing: ResultHashing = portableHashing): string {
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(outputs).sort()) {
    const t = outputs[name]!;
    parts.push(resultHashHeader(name, t), hashing.decode(t.data));
  }
  return hashing.sha256(parts);
}

/** The text a provider signs for a delivery: binds chain, market, job and result. */
export function deliveryMessage(d: { chainId: number; market: string; jobId: string; resultHash: string }): string {
  return `Hearth result\nchain: ${d.chainId}\nmarket: ${d.market.toLowerCase()}\njob: ${d.jobId}\nresult: ${d.resultHash.toLowerCase()}`;
}

/** True when the delivery's signature is by its stated provider and its hash matches its outputs. */
export function verifyDelivery(d: ResultDelivery, hashing?: ResultHashing): { ok: true } | { ok: false; reason: string } {
  const hash = resultHashOf(d.outputs, hashing);
  if (hash !== d.resultHash.toLowerCase()) return { ok: false, reason: `the outputs hash to ${hash}, not the stated ${d.resultHash}` };
  let signer: string;
  try {
    signer = verifyMessage(deliveryMessage(d), d.signature);
  } catch {
    return { ok: false, reason: 'the signature is malformed' };
  }
  if (signer.toLowerCase() !== d.provider.toLowerCase()) return { ok: false, reason: `signed by ${signer}, not by the provider ${d.provider}` };
  return { ok: true };
}

/**
 * Compares a delivered output with the requester's own run. Float results differ slightly
 * between execution providers (CPU, CUDA, DirectML), so floats match within `tolerance`
 * (absolute, default 1e-3); integers and shapes must match exactly.
 */
export function outputsAgree(
  mine: Record<string, JsonTensor>,
  theirs: Record<string, JsonTensor>,
  tolerance = 1e-3,
): { ok: true } | { ok: false; reason: string } {
  const names = Object.keys(mine).sort();
  if (names.join('\0') !== Object.keys(theirs).sort().join('\0')) return { ok: false, reason: 'different output names' };
  for (const name of names) {
    const a = mine[name]!;
    const b = theirs[name]!;
    if (a.dtype !== b.dtype || a.dims.join(',') !== b.dims.join(',')) return { ok: false, reason: `${name}: different dtype or shape` };
    const x = getBytes(tensorBytes(a));
    const y = getBytes(tensorBytes(b));
    if (a.dtype === 'float32' || a.dtype === 'float64') {
      const view = (u: Uint8Array) =>
        a.dtype === 'float32' ? new Float32Array(u.buffer, u.byteOffset, u.byteLength / 4) : new Float64Array(u.buffer, u.byteOffset, u.byteLength / 8);
      const va = view(alignedCopy(x));
      const vb = view(alignedCopy(y));
      for (let i = 0; i < va.length; i++) {
        const d = Math.abs(va[i]! - vb[i]!);
        if (!(d <= tolerance)) return { ok: false, reason: `${name}[${i}] differs by ${Number.isNaN(d) ? 'NaN' : d.toExponential(2)}` };
      }
    } else if (x.length !== y.length || x.some((v, i) => v !== y[i])) {
      return { ok: false, reason: `${name}: values differ` };
    }
  }
  return { ok: true };
}

function alignedCopy(u: Uint8Array): Uint8Array {
  return u.byteOffset % 8 === 0 ? u : new Uint8Array(u);
}
