/**
 * The result hash on Node: the same framing as `resultHashOf` (common/market/job-format.ts),
 * with node:crypto hashing incrementally and Buffer doing base64. A 64-row recognizer result
 * is ~68 MB of float32: the portable (pure JavaScript) path spends most of a job's overhead there.
 */
import { createHash } from 'node:crypto';
import { resultHashHeader, type JsonTensor, type ResultHashing } from '../../common/market/job-format.ts';

export const nodeHashing: ResultHashing = {
  decode: (text) => Buffer.from(text, 'base64'),
  sha256: (parts) => {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return `0x${hash.digest('hex')}`;
  },
};

/** Raw outputs (typed arrays) to JSON tensors and their result hash, without decoding base64 again. */
export function encodeOutputs(outputs: Record<string, { dtype: JsonTensor['dtype']; dims: number[]; data: ArrayBufferView }>): {
  json: Record<string, JsonTensor>;
  resultHash: string;
} {
  const hash = createHash('sha256');
  const json: Record<string, JsonTensor> = {};
  for (const name of Object.keys(outputs).sort()) {
    const t = outputs[name]!;
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    hash.update(resultHashHeader(name, t));
    hash.update(bytes);
    json[name] = { dtype: t.dtype, dims: t.dims, data: bytes.toString('base64') };
  }
  return { json, resultHash: `0x${hash.digest('hex')}` };
}
