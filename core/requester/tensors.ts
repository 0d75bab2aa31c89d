import { toJsonTensor, type JsonTensor } from '../../common/market/job-format.ts';
import { dtypeBytes, viewAs, type Tensor } from '../../common/worker/protocol.ts';

/** A worker tensor as the job format's JSON tensor (raw little-endian bytes, base64). */
export function tensorToJsonTensor(t: Tensor): JsonTensor {
  return toJsonTensor(t.dtype, [...t.dims], t.data);
}

/** A validated JSON tensor as a worker tensor (a typed array of its dtype); the provider's runner and the requester both use it. */
export function jsonTensorToTensor(t: JsonTensor): Tensor {
  // Buffer decodes base64 natively (inputs run to megabytes); viewAs copies when the bytes are unaligned for the dtype.
  const bytes = Buffer.from(t.data, 'base64');
  return { dtype: t.dtype, dims: [...t.dims], data: viewAs(t.dtype, bytes, bytes.byteLength / dtypeBytes[t.dtype]) };
}

/** Converts a record of worker tensors (e.g. a worker result) to JSON tensors. */
export function toJsonTensors(tensors: Record<string, Tensor>): Record<string, JsonTensor> {
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, tensorToJsonTensor(t)]));
}

/** Converts a record of JSON tensors (e.g. a job's inputs) to worker tensors. */
export function fromJsonTensors(tensors: Record<string, JsonTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, jsonTensorToTensor(t)]));
}
