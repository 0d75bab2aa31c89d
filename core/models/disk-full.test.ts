import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { smallDisk, strayFiles } from '../fs/testing/full-disk.ts';
import { builtinCatalog } from './catalog.ts';
import { createModelStore, hashFile } from './store.ts';
import type { ModelEntry } from '../../common/worker/model-spec.ts';

const disk = smallDisk(8192);
after(() => typeof disk !== 'string' && disk.unmount());

test('a model download that fills the disk: a readable error, the partial file removed (space given back), never taken for a model; it works once space is back', { skip: typeof disk === 'string' ? disk : false }, async (t) => {
  if (typeof disk === 'string') return;
  t.after(() => disk.free());
  // The real PaddleOCR detector (4.7 MB), served over HTTP as a catalog download would be.
  const det = builtinCatalog.find((m) => m.id === 'paddleocr-det-v4') as ModelEntry;
  const bytes = readFileSync((await createModelStore({ cacheDir: join(disk.dir, 'packaged') }).ensure(det.id)).path);
  const server = createServer((_req, res) => res.writeHead(200, { 'content-length': bytes.length }).end(bytes));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const entry: ModelEntry = { ...det, id: 'det-download', source: { kind: 'url', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/det.onnx` } };
  const cacheDir = join(disk.dir, 'cache');
  const store = () => createModelStore({ cacheDir, catalog: [entry] });

  // The disk one page short of the model: the last write is cut short without an error. This
  // used to be cached and handed out as the model (4,743,168 of 4,745,517 bytes).
  await mkdir(join(cacheDir, 'models', 'partial'), { recursive: true });
  disk.fill((Math.ceil(bytes.length / 4096) - 1) * 4096);
  await assert.rejects(store().ensure(entry.id), { code: 'disk_full' });
  assert.deepEqual(strayFiles(cacheDir), []);
  assert.deepEqual(readdirSync(join(cacheDir, 'models')).filter((n) => n.endsWith('.onnx')), [], 'no short file in the cache');
  disk.free();

  // A disk with 1 MB free: the download fails early.
  disk.fill(1024 * 1024);
  const freeBefore = disk.freeBytes();
  await assert.rejects(store().ensure(entry.id), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'disk_full');
    assert.match(error.message, /^The disk is full: the model det-download \(4\.5 MB\) could not be downloaded into .*cache.models\. The partial download was removed; free some space and try again\.$/);
    return true;
  });
  assert.deepEqual(strayFiles(cacheDir), [], 'no partial file holds the disk full');
  assert.ok(disk.freeBytes() >= freeBefore, 'the space the download took is given back');
  assert.deepEqual(readdirSync(join(cacheDir, 'models')).filter((n) => n.endsWith('.onnx')), []);
  assert.equal((await store().list())[0]?.availability, 'download', 'a fresh start does not take anything here for the model');

  disk.free();
  const resolved = await store().ensure(entry.id);
  assert.equal(resolved.key, det.sha256);
  assert.equal(await hashFile(resolved.path), det.sha256);
  assert.equal((await store().list())[0]?.availability, 'cached');
});
