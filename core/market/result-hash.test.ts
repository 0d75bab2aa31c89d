import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resultHashOf, verifyDelivery } from '../../common/market/job-format.ts';
import { encodeOutputs, nodeHashing } from './result-hash.ts';

test('the Node result hash equals the portable one, byte for byte, for every dtype and name order', () => {
  const outputs = {
    'softmax_11.tmp_0': { dtype: 'float32' as const, dims: [2, 3, 5], data: new Float32Array(30).map((_, i) => Math.sin(i)) },
    a: { dtype: 'int64' as const, dims: [4], data: new BigInt64Array([1n, -2n, 3n, 2n ** 62n]) },
    'z/out': { dtype: 'uint8' as const, dims: [3], data: new Uint8Array([0, 255, 7]) },
    // A view into a larger buffer: only its own bytes count.
    mid: { dtype: 'float64' as const, dims: [2], data: new Float64Array(new Float64Array([9, 1.5, -2.25, 9]).buffer, 8, 2) },
  };
  const { json, resultHash } = encodeOutputs(outputs);
  assert.equal(resultHash, resultHashOf(json));
  assert.equal(resultHashOf(json, nodeHashing), resultHashOf(json));
  assert.deepEqual(Object.keys(json), ['a', 'mid', 'softmax_11.tmp_0', 'z/out']);
  // A changed value changes the hash on both paths alike.
  outputs.mid.data[0] = 1.25;
  const changed = encodeOutputs(outputs);
  assert.notEqual(changed.resultHash, resultHash);
  assert.equal(changed.resultHash, resultHashOf(changed.json));
});

test('verifyDelivery gives the same verdict with either hashing', () => {
  const { json } = encodeOutputs({ y: { dtype: 'float32', dims: [1, 2], data: new Float32Array([1, 2]) } });
  const delivery = {
    version: 1 as const,
    chainId: 31337,
    market: `0x${'11'.repeat(20)}`,
    jobId: '1',
    provider: `0x${'22'.repeat(20)}`,
    outputs: json,
    resultHash: `0x${'00'.repeat(32)}`,
    signature: `0x${'33'.repeat(65)}`,
  };
  const portable = verifyDelivery(delivery);
  const node = verifyDelivery(delivery, nodeHashing);
  assert.deepEqual(node, portable);
  assert.equal(node.ok, false);
});
