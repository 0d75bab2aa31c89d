import { z } from 'zod';

/**
 * The host ⇄ inference-worker protocol. Every message carries a `seq` that strictly
 * increases per sender; replies name the request they answer in `re`. Both sides parse
 * every message with these schemas: the worker runs third-party model code, so what it
 * sends back is untrusted input to core (typed arrays are checked against their dims).
 * Messages travel with structured clone (fork `serialization: 'advanced'` or Electron's
 * utilityProcess), so tensor data crosses as typed arrays, never as JSON.
 */
export const PROTOCOL_VERSION = 1;

export const tensorDtypes = ['float32', 'float64', 'int32', 'int64', 'uint8', 'int8', 'bool'] as const;
export const tensorDtype = z.enum(tensorDtypes);
export type TensorDtype = z.infer<typeof tensorDtype>;

export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** Bytes per element of each dtype (bool is one byte, as ORT stores it). */
export const dtypeBytes: Record<TensorDtype, number> = {
  float32: 4,
  float64: 8,
  int32: 4,
  int64: 8,
  uint8: 1,
  int8: 1,
  bool: 1,
};

const arrayCtor: Record<TensorDtype, new (n: number) => TensorData> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  bool: Uint8Array,
};

/** Allocates a zeroed array of the right class for `dtype`. */
export function allocTensorData(dtype: TensorDtype, length: number): TensorData {
  return new arrayCtor[dtype](length);
}

/**
 * The bytes of a file as a `dtype` array: a view when the buffer is aligned (a fresh
 * readFile buffer is), a copy otherwise. Saves a copy per tensor on every job.
 */
export function viewAs(dtype: TensorDtype, bytes: Uint8Array, count: number): TensorData {
  const Ctor = arrayCtor[dtype] as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => TensorData;
  if (bytes.byteOffset % dtypeBytes[dtype] === 0) return new Ctor(bytes.buffer, bytes.byteOffset, count);
  const data = allocTensorData(dtype, count);
  new Uint8Array(data.buffer).set(bytes.subarray(0, count * dtypeBytes[dtype]));
  return data;
}

/** True when `data` is the typed-array class that carries `dtype`. */
export function dataMatchesDtype(dtype: TensorDtype, data: unknown): data is TensorData {
  // Exact class, not instanceof: Uint8ClampedArray or a subclass must not pass as uint8.
  return data != null && Object.getPrototypeOf(data) === arrayCtor[dtype].prototype;
}

const dim = z.number().int().nonnegative().max(2 ** 31);

/** A dense tensor: dims, dtype, and data whose length is the product of the dims. */
export const tensorSchema = z
  .object({
    dtype: tensorDtype,
    dims: z.array(dim).max(8),
    data: z.custom<TensorData>((value) => ArrayBuffer.isView(value) && !(value instanceof DataView), 'typed array'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!dataMatchesDtype(t.dtype, t.data)) {
      ctx.addIssue({ code: 'custom', message: `data is not a ${t.dtype} array` });
      return;
    }
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) ctx.addIssue({ code: 'custom', message: `dims [${t.dims.join(', ')}] need ${count} values, got ${t.data.length}` });
  });
export type Tensor = { dtype: TensorDtype; dims: number[]; data: TensorData };

/**
 * A large tensor handed over through a file in the exchange folder (memory-backed
 * /dev/shm on Linux) instead of the IPC pipe: ORT blocks the worker's thread, so bytes
 * queued on the pipe would wait for the next run to end. `ref` is a bare file name the
 * receiver resolves inside its own exchange folder, never a path.
 */
export const tensorRefSchema = z
  .object({
    dtype: tensorDtype,
    dims: z.array(dim).max(8),
    ref: z.string().regex(/^[A-Za-z0-9_-]{1,100}\.bin$/),
  })
  .strict();
export type TensorRef = z.infer<typeof tensorRefSchema>;
export const wireTensor = z.union([tensorSchema, tensorRefSchema]);
export type WireTensor = Tensor | TensorRef;
/** Tensors at least this big travel as files. */
export const FILE_TRANSFER_MIN_BYTES = 64 * 1024;

/** Shape as declared by a model: a number is fixed, null (or a symbolic name) is free. */
export const valueSpecSchema = z
  .object({
    name: z.string().min(1).max(256),
    dtype: tensorDtype,
    shape: z.array(z.union([dim, z.null()])).max(8),
  })
  .strict();
export type ValueSpec = z.infer<typeof valueSpecSchema>;

export const providerName = z.enum(['cuda', 'dml', 'coreml', 'cpu']);
export type ProviderName = z.infer<typeof providerName>;

const seq = z.number().int().positive();
const name = z.string().min(1).max(256);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** Host → worker. */
export const hostMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('load'),
      seq,
      /** sha256 of the file; the worker re-hashes the bytes it reads and refuses a mismatch. */
      modelKey: sha256,
      path: z.string().min(1).max(4096),
      /** Order of execution providers to try; the first that creates a session wins. Default: the platform's list. */
      providers: z.array(providerName).min(1).max(4).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('run'),
      seq,
      jobId: name,
      modelKey: sha256,
      inputs: z.record(name, wireTensor),
      /** Run the batch in slices of at most this many rows, yielding between them so cancel/shutdown are heard. */
      sliceRows: z.number().int().positive().max(4096).optional(),
      maxOutputBytes: z.number().int().positive(),
    })
    .strict(),
  z.object({ type: z.literal('cancel'), seq, jobId: name }).strict(),
  z.object({ type: z.literal('stats'), seq }).strict(),
  z.object({ type: z.literal('unload'), seq, modelKey: sha256 }).strict(),
  z.object({ type: z.literal('shutdown'), seq }).strict(),
]);
export type HostMessage = z.infer<typeof hostMessage>;
export type HostMessageBody = HostMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

export const workerStats = z
  .object({
    rssBytes: z.number().nonnegative(),
    heapUsedBytes: z.number().nonnegative(),
    sessions: z.number().int().nonnegative(),
    jobsRun: z.number().int().nonnegative(),
  })
  .strict();
export type WorkerStats = z.infer<typeof workerStats>;

/** Worker → host. */
export const workerMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('hello'),
      seq,
      protocol: z.literal(PROTOCOL_VERSION),
      pid: z.number().int().positive(),
      ortVersion: z.string().max(64),
    })
    .strict(),
  z
    .object({
      type: z.literal('loaded'),
      seq,
      re: seq,
      modelKey: sha256,
      provider: providerName,
      /** Providers tried before the one that ran, with why each failed. */
      fallbacks: z.array(z.object({ provider: providerName, error: z.string().max(2000) }).strict()).max(4),
      inputs: z.array(valueSpecSchema).max(64),
      outputs: z.array(valueSpecSchema).max(64),
      loadMs: z.number().nonnegative(),
    })
    .strict(),
  z
    .object({
      type: z.literal('result'),
      seq,
      re: seq,
      jobId: name,
      provider: providerName,
      outputs: z.record(name, wireTensor),
      runMs: z.number().nonnegative(),
    })
    .strict(),
  z
    .object({
      type: z.literal('error'),
      seq,
      re: seq,
      jobId: name.optional(),
      code: z.string().min(1).max(64),
      message: z.string().max(4000),
    })
    .strict(),
  z.object({ type: z.literal('stats'), seq, re: seq.optional() }).extend(workerStats.shape).strict(),
  z
    .object({
      type: z.literal('log'),
      seq,
      level: z.enum(['debug', 'info', 'warn', 'error']),
      message: z.string().max(4000),
    })
    .strict(),
  z.object({ type: z.literal('heartbeat'), seq, busy: z.boolean(), rssBytes: z.number().nonnegative() }).strict(),
]);
export type WorkerMessage = z.infer<typeof workerMessage>;
export type WorkerMessageBody = WorkerMessage extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

/** Total bytes of a tensor's data. */
export function tensorBytes(t: { dtype: TensorDtype; dims: number[] }): number {
  return t.dims.reduce((a, b) => a * b, 1) * dtypeBytes[t.dtype];
}

/**
 * Tracks a peer's sequence numbers: each message must carry a larger seq than the last,
 * so a replayed or reordered message is noticed instead of answering the wrong request.
 */
export function createSeqGuard() {
  let last = 0;
  return {
    accept(seqNo: number): boolean {
      if (seqNo <= last) return false;
      last = seqNo;
      return true;
    },
  };
}
