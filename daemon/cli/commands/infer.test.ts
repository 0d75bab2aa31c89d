import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { main } from '../main.ts';
import { tempDir, writeAffineModel } from '../../../core/worker/test-helpers.ts';
import { encodeNpy, parseNpy } from '../../../core/worker/tensor-files.ts';

async function hearth(args: string[], dataDir: string) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), env: { PATH: process.env.PATH ?? '', HEARTH_DATA_DIR: dataDir } });
  return { code, out, err };
}

test('hearth infer runs a model file on JSON and .npy inputs, and fails clearly on bad ones', async () => {
  const dir = tempDir('hearth-cli-');
  const model = writeAffineModel(dir);
  const json = join(dir, 'in.json');
  writeFileSync(json, JSON.stringify({ x: { dtype: 'float32', dims: [1, 4], data: [1, 2, 3, 4] } }));
  const ok = await hearth(['infer', '--model', model, '--input', json], dir);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /provider {2}cpu/);
  assert.match(ok.out, /output {4}y float32 \[1, 3\] \[15\.5, 3, 5\]/);

  const npy = join(dir, 'in.npy');
  writeFileSync(npy, encodeNpy({ dtype: 'float32', dims: [2, 4], data: Float32Array.from([1, 2, 3, 4, 0, 0, 0, 0]) }));
  const out = join(dir, 'out.npy');
  const viaNpy = await hearth(['infer', '--model', model, '--input', npy, '--out', out], dir);
  assert.equal(viaNpy.code, 0, viaNpy.err);
  const y = parseNpy(readFileSync(out));
  assert.deepEqual(y.dims, [2, 3]);
  assert.deepEqual([...(y.data as Float32Array)], [15.5, 3, 5, 0.5, -1, 2]);

  const wrong = join(dir, 'wrong.json');
  writeFileSync(wrong, JSON.stringify({ x: { dtype: 'float32', dims: [1, 5], data: [1, 2, 3, 4, 5] } }));
  const shape = await hearth(['infer', '--model', model, '--input', wrong], dir);
  assert.equal(shape.code, 1);
  assert.match(shape.err, /must have shape \[\?, 4\].*\[input_shape\]/);

  const missing = await hearth(['infer', '--model', join(dir, 'none.onnx'), '--input', json], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /does not exist.*\[model_missing\]/);

  const unreadable = await hearth(['infer', '--model', model, '--input', join(dir, 'nope.json')], dir);
  assert.equal(unreadable.code, 1);
  assert.match(unreadable.err, /Cannot read the input file.*\[input_unreadable\]/);

  // A model path relative to where the command runs (not to the worker's folder).
  const relativeModel = relative(process.cwd(), model);
  assert.ok(!isAbsolute(relativeModel));
  const viaRelative = await hearth(['infer', '--model', relativeModel, '--input', json], dir);
  assert.equal(viaRelative.code, 0, viaRelative.err);
  assert.match(viaRelative.out, /output {4}y float32 \[1, 3\] \[15\.5, 3, 5\]/);

  // A misspelt field is an error, not a silent float32 default.
  const misspelt = join(dir, 'misspelt.json');
  writeFileSync(misspelt, JSON.stringify({ x: { type: 'float64', dims: [1, 4], data: [1, 2, 3, 4] } }));
  const typo = await hearth(['infer', '--model', model, '--input', misspelt], dir);
  assert.equal(typo.code, 1);
  assert.match(typo.err, /unknown field "type" \(did you mean "dtype"\?\).*\[input_unreadable\]/);

  const usage = await hearth(['infer', '--model', model], dir);
  assert.equal(usage.code, 2);
});

test('hearth bench prints a device score and the provider that produced it', async () => {
  const dir = tempDir('hearth-cli-');
  const result = await hearth(['bench', '--iterations', '4', '--json'], dir);
  assert.equal(result.code, 0, result.err);
  const parsed = JSON.parse(result.out) as { inferencesPerSecond: number; provider: string; modelId: string; iterations: number };
  assert.equal(parsed.provider, 'cpu');
  assert.equal(parsed.modelId, 'paddleocr-rec-v4');
  assert.ok(parsed.inferencesPerSecond > 0);
  assert.ok(parsed.iterations >= 4);
  const unknown = await hearth(['bench', '--model', 'nope', '--iterations', '1'], dir);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /\[model_unknown\]/);
});
