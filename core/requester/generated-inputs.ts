import { HearthError } from '../../common/errors.ts';
import type { Tensor } from '../../common/worker/protocol.ts';

/**
 * Small input shapes per catalog model, for generated jobs: documents stay a few hundred
 * KB and a CPU runs each in well under a second. The leading dimension is the job's units.
 */
export const GENERATED_SHAPES: Readonly<Record<string, { input: string; dims: readonly number[] }>> = {
  'paddleocr-rec-v4': { input: 'x', dims: [8, 3, 48, 160] },
  'paddleocr-cls-v2': { input: 'x', dims: [8, 3, 48, 192] },
  'paddleocr-det-v4': { input: 'x', dims: [1, 3, 64, 64] },
};

/** The catalog models the generator knows, in a stable order. */
export const GENERATED_MODELS: readonly string[] = Object.keys(GENERATED_SHAPES);

/**
 * Deterministic pseudo-image input for `modelId`: the same seed gives the same bytes on
 * every machine (mulberry32, values in [-1, 1) like PaddleOCR's normalised pixels).
 * `units` overrides the leading (batch) dimension.
 */
export function generateInputs(modelId: string, seed: number, units?: number): Record<string, Tensor> {
  const shape = GENERATED_SHAPES[modelId];
  if (!shape) throw new HearthError('model_unknown', `No generated input is defined for "${modelId}"; use one of ${GENERATED_MODELS.join(', ')} or pass input tensors.`);
  const dims = [...shape.dims];
  if (units !== undefined) {
    if (!Number.isInteger(units) || units < 1 || units > 1024) throw new HearthError('bad_units', 'Units must be a whole number from 1 to 1024.');
    dims[0] = units;
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    data[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return { [shape.input]: { dtype: 'float32', dims, data } };
}
