import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  dataMatchesDtype,
  tensorBytes,
  tensorDtypes,
  type ProviderName,
  type Tensor,
  type TensorDtype,
  type ValueSpec,
} from '../common/worker/protocol.ts';

/** A failure the worker reports with a stable code. */
export class WorkerError extends Error {
  // A plain field, not a parameter property: from sources Node strips the types of this file
  // itself, and stripping cannot rewrite constructor parameters into fields.
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Session options shared by the worker and the in-process baseline of the bench, so the
 * two measure the same thing. Spinning is off: ORT's thread pool otherwise busy-waits
 * between runs, burning a core for every trickle of small jobs.
 */
export function sessionOptions(provider: ProviderName, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** The native library folder of onnxruntime-node, where provider plug-ins would sit. */
function ortBinDir(): string | undefined {
  try {
    // The esbuild CJS bundle has __filename but no import.meta.url.
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    const pkg = createRequire(from).resolve('onnxruntime-node/package.json');
    return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/**
 * Providers worth trying on this platform, best first. CUDA is only tried when its
 * plug-in library is actually installed: otherwise ORT prints a scary error and fails.
 */
export function platformProviders(platform = process.platform): ProviderName[] {
  const bin = ortBinDir();
  if (platform === 'linux') {
    const cuda = bin !== undefined && existsSync(join(bin, 'libonnxruntime_providers_cuda.so'));
    return cuda ? ['cuda', 'cpu'] : ['cpu'];
  }
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cpu'];
}

function toSpec(meta: ort.InferenceSession.ValueMetadata): ValueSpec | undefined {
  if (!meta.isTensor) return undefined;
  if (!(tensorDtypes as readonly string[]).includes(meta.type)) return undefined;
  return {
    name: meta.name,
    dtype: meta.type as TensorDtype,
    shape: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null)),
  };
}

interface Loaded {
  session: ort.InferenceSession;
  provider: ProviderName;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
}

export interface LoadResult extends Omit<Loaded, 'session'> {
  fallbacks: { provider: ProviderName; error: string }[];
  loadMs: number;
}

/** Sessions keyed by the model's sha256, so a model used by many jobs is parsed once. */
export function createRuntime(options: { threads: number; maxSessions?: number }) {
  const sessions = new Map<string, Loaded>();
  const maxSessions = options.maxSessions ?? 4;

  async function load(modelKey: string, path: string, providers: ProviderName[] = platformProviders()): Promise<LoadResult> {
    const started = performance.now();
    const cached = sessions.get(modelKey);
    if (cached) {
      // Refresh recency for the small LRU.
      sessions.delete(modelKey);
      sessions.set(modelKey, cached);
      return { provider: cached.provider, inputs: cached.inputs, outputs: cached.outputs, fallbacks: [], loadMs: 0 };
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new WorkerError('model_unreadable', `The model file ${path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== modelKey) {
      throw new WorkerError('model_hash_mismatch', `The model file ${path} does not match its expected sha256; it was not loaded.`);
    }
    const fallbacks: { provider: ProviderName; error: string }[] = [];
    for (const provider of providers) {
      try {
        const session = await ort.InferenceSession.create(bytes, sessionOptions(provider, options.threads));
        const inputs = session.inputMetadata.map(toSpec);
        const outputs = session.outputMetadata.map(toSpec);
        if (inputs.some((s) => !s) || outputs.some((s) => !s)) {
          await session.release();
          throw new WorkerError('model_unsupported', 'The model uses input or output types Hearth does not run (only dense numeric tensors are supported).');
        }
        const loaded: Loaded = { session, provider, inputs: inputs as ValueSpec[], outputs: outputs as ValueSpec[] };
        sessions.set(modelKey, loaded);
        while (sessions.size > maxSessions) {
          const oldest = sessions.keys().next().value as string;
          await sessions.get(oldest)?.session.release();
          sessions.delete(oldest);
        }
        return { provider, inputs: loaded.inputs, outputs: loaded.outputs, fallbacks, loadMs: performance.now() - started };
      } catch (error) {
        if (error instanceof WorkerError) throw error;
        fallbacks.push({ provider, error: String((error as Error).message ?? error).slice(0, 2000) });
      }
    }
    const last = fallbacks.at(-1)?.error ?? 'no provider';
    throw new WorkerError('model_invalid', `The model could not be loaded by ONNX Runtime: ${last.slice(0, 500)}`);
  }

  async function unload(modelKey: string): Promise<void> {
    const loaded = sessions.get(modelKey);
    sessions.delete(modelKey);
    await loaded?.session.release();
  }

  /**
   * Runs one job. With `sliceRows`, the leading (batch) dimension is cut into slices run
   * one after another with an event-loop turn between them, so a cancel or shutdown that
   * arrives mid-batch is seen at the next slice instead of after the whole batch.
   */
  async function run(
    modelKey: string,
    inputs: Record<string, Tensor>,
    opts: { sliceRows?: number; maxOutputBytes: number; cancelled: () => boolean },
  ): Promise<{ outputs: Record<string, Tensor>; provider: ProviderName; runMs: number }> {
    const loaded = sessions.get(modelKey);
    if (!loaded) throw new WorkerError('model_not_loaded', 'The model is not loaded in the worker.');
    for (const spec of loaded.inputs) {
      const t = inputs[spec.name];
      if (!t) throw new WorkerError('input_missing', `Input "${spec.name}" is missing.`);
      if (t.dtype !== spec.dtype || !dataMatchesDtype(t.dtype, t.data)) throw new WorkerError('input_dtype', `Input "${spec.name}" must be ${spec.dtype}.`);
      if (t.dims.length !== spec.shape.length) throw new WorkerError('input_rank', `Input "${spec.name}" must have ${spec.shape.length} dimensions.`);
    }
    const batch = loaded.inputs[0] ? inputs[loaded.inputs[0].name]?.dims[0] : undefined;
    const slicing =
      opts.sliceRows !== undefined &&
      batch !== undefined &&
      batch > opts.sliceRows &&
      Object.values(inputs).every((t) => t.dims[0] === batch);
    const started = performance.now();
    const slices: Record<string, Tensor>[] = [];
    const step = slicing ? (opts.sliceRows as number) : Number.MAX_SAFE_INTEGER;
    const rows = batch ?? 1;
    for (let start = 0; start < rows || (start === 0 && rows === 0); start += step) {
      if (start > 0) await new Promise((r) => setImmediate(r));
      if (opts.cancelled()) throw new WorkerError('cancelled', 'The job was cancelled.');
      const end = Math.min(rows, start + step);
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) {
        if (!slicing) {
          feeds[name] = new ort.Tensor(t.dtype, t.data as never, t.dims);
          continue;
        }
        const rowSize = t.dims.slice(1).reduce((a, b) => a * b, 1);
        feeds[name] = new ort.Tensor(t.dtype, t.data.subarray(start * rowSize, end * rowSize) as never, [end - start, ...t.dims.slice(1)]);
      }
      const out = await loaded.session.run(feeds);
      const slice: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(out)) slice[name] = fromOrt(name, value);
      slices.push(slice);
      if (rows === 0) break;
    }
    const outputs = slices.length === 1 ? (slices[0] as Record<string, Tensor>) : concatRows(slices);
    const total = Object.values(outputs).reduce((sum, t) => sum + tensorBytes(t), 0);
    if (total > opts.maxOutputBytes) {
      throw new WorkerError('output_too_large', `The model produced ${total} bytes of output, over the ${opts.maxOutputBytes}-byte limit.`);
    }
    return { outputs, provider: loaded.provider, runMs: performance.now() - started };
  }

  return { load, unload, run, sessionCount: () => sessions.size };
}

function fromOrt(name: string, value: ort.Tensor): Tensor {
  if (!(tensorDtypes as readonly string[]).includes(value.type)) {
    throw new WorkerError('output_unsupported', `Output "${name}" has type ${value.type}, which Hearth cannot return.`);
  }
  const dtype = value.type as TensorDtype;
  const data = value.data as Tensor['data'];
  // May view a larger native buffer: writeWireOutputs copies what crosses inline, files take only this view.
  return { dtype, dims: [...value.dims], data };
}

function concatRows(slices: Record<string, Tensor>[]): Record<string, Tensor> {
  const first = slices[0] as Record<string, Tensor>;
  const result: Record<string, Tensor> = {};
  for (const name of Object.keys(first)) {
    const parts = slices.map((s) => s[name] as Tensor);
    const head = parts[0] as Tensor;
    const rows = parts.reduce((n, p) => n + (p.dims[0] ?? 0), 0);
    const length = parts.reduce((n, p) => n + p.data.length, 0);
    const data = new (head.data.constructor as new (n: number) => Tensor['data'])(length);
    let offset = 0;
    for (const p of parts) {
      (data as Float32Array).set(p.data as Float32Array, offset);
      offset += p.data.length;
    }
    result[name] = { dtype: head.dtype, dims: [rows, ...head.dims.slice(1)], data };
  }
  return result;
}
