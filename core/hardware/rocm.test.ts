import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseRocmSmiJson } from './rocm.ts';
import { fixture } from './testing/paths.ts';

test('rocm-smi JSON with a warning line: both cards, bytes to MiB, N/A (Secondary die) is null', () => {
  const r = parseRocmSmiJson(readFileSync(fixture('rocm', 'rocm-dual.json'), 'utf8'), 'linux');
  assert.equal(r.gpus.length, 2);
  const [dgpu, apu] = r.gpus;
  assert.equal(dgpu?.name, 'AMD Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M');
  assert.equal(dgpu?.busId, '00000000:03:00.0');
  assert.equal(dgpu?.vramMiB, 24560);
  assert.equal(dgpu?.driverVersion, '6.8.5');
  assert.equal(dgpu?.support.status, 'unsupported');
  assert.equal(apu?.integrated, true);
  assert.equal(r.samples[0]?.clockGraphicsMHz, 31);
  assert.equal(r.samples[0]?.memoryUsedMiB, 1024);
  assert.equal(r.samples[1]?.powerDrawW, null);
});

test('rocm-smi garbage yields no GPUs', () => {
  assert.equal(parseRocmSmiJson('ERROR: no GPU found').gpus.length, 0);
  assert.equal(parseRocmSmiJson('{ not json').gpus.length, 0);
  assert.equal(parseRocmSmiJson('[1,2]').gpus.length, 0);
});
