import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createModelStore } from './store.ts';
import { builtinCatalog } from './catalog.ts';
import { tempDir } from '../worker/test-helpers.ts';
import type { ModelEntry } from '../../common/worker/model-spec.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const blob = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** Serves files with Range support; `cutAfter` drops the first response midway, like a lost connection. */
async function serve(files: Record<string, Uint8Array>, opts: { cutAfter?: number } = {}) {
  const log: { path: string; range: string | undefined }[] = [];
  let cut = opts.cutAfter;
  const server: Server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    log.push({ path: req.url ?? '', range: req.headers.range });
    if (!body) return void res.writeHead(404).end();
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const part = body.subarray(start);
    res.writeHead(m ? 206 : 200, { 'content-length': part.length, ...(m ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) });
    if (cut !== undefined) {
      const n = cut;
      cut = undefined;
      // Give the client time to take the first bytes before the connection drops.
      res.write(part.subarray(0, n), () => setTimeout(() => res.destroy(), 150));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, log, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function entry(id: string, url: string, bytes: Uint8Array, overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id,
    name: id,
    description: '',
    source: { kind: 'url', url },
    sha256: sha(bytes),
    sizeBytes: bytes.length,
    licence: 'test',
    inputs: [{ name: 'x', dtype: 'float32', shape: [null, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [null, 3] }],
    ...overrides,
  };
}

test('packaged PaddleOCR models are verified in place against the catalog hashes', async () => {
  const store = createModelStore({ cacheDir: tempDir() });
  const listed = await store.list();
  assert.deepEqual(listed.map((m) => [m.id, m.availability]), builtinCatalog.map((m) => [m.id, 'local']));
  const rec = await store.ensure('paddleocr-rec-v4');
  assert.equal(rec.sizeBytes, 10822323);
  assert.equal(rec.key, '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0');
  assert.match(rec.path, /ocr-models\/assets\/ch_PP-OCRv4_rec_infer\.onnx$/);
  await assert.rejects(store.ensure('no-such-model'), { code: 'model_unknown' });
});

test('a download resumes with Range after a dropped connection, is verified and cached', async (t) => {
  const bytes = blob(300_000, 7);
  const server = await serve({ '/m.onnx': bytes }, { cutAfter: 100_000 });
  t.after(server.close);
  const cacheDir = tempDir();
  const store = createModelStore({ cacheDir, catalog: [entry('m', `${server.base}/m.onnx`, bytes)] });
  const progress: number[] = [];
  await assert.rejects(store.ensure('m', (p) => progress.push(p.receivedBytes)), (e: { code: string }) => ['model_download_failed', 'model_truncated'].includes(e.code));
  assert.equal((await store.list())[0]?.availability, 'download');
  const resolved = await store.ensure('m', (p) => progress.push(p.receivedBytes));
  assert.equal(resolved.key, sha(bytes));
  assert.equal(progress.at(-1), bytes.length);
  assert.ok(server.log[1]?.range?.startsWith('bytes='), 'second request resumes with a Range header');
  assert.notEqual(server.log[1]?.range, 'bytes=0-');
  assert.equal((await store.list())[0]?.availability, 'cached');
  // Cached now: no further request.
  await store.ensure('m');
  assert.equal(server.log.length, 2);
});

test('a download whose bytes do not match the catalog hash is discarded and never handed out', async (t) => {
  const bytes = blob(50_000, 1);
  const server = await serve({ '/evil.onnx': blob(50_000, 2) });
  t.after(server.close);
  const cacheDir = tempDir();
  const store = createModelStore({ cacheDir, catalog: [entry('evil', `${server.base}/evil.onnx`, bytes)] });
  await assert.rejects(store.ensure('evil'), { code: 'model_hash_mismatch' });
  const left = readdirSync(join(cacheDir, 'models'), { recursive: true }).map(String);
  assert.ok(!left.some((f) => f.endsWith('.onnx') || f.endsWith('.part')), `left behind: ${left.join(', ')}`);
  const missing = await serve({});
  t.after(missing.close);
  const store404 = createModelStore({ cacheDir, catalog: [entry('gone', `${missing.base}/gone.onnx`, bytes)] });
  await assert.rejects(store404.ensure('gone'), { code: 'model_download_failed', message: /HTTP 404/ });
});

test('a truncated or corrupted local file is rejected before loading', async () => {
  const dir = tempDir();
  const bytes = blob(10_000, 3);
  const path = join(dir, 'local.onnx');
  writeFileSync(path, bytes.subarray(0, 9_000));
  const store = createModelStore({ cacheDir: dir, catalog: [{ ...entry('local', 'http://x/', bytes), source: { kind: 'file', path } }] });
  await assert.rejects(store.ensure('local'), { code: 'model_truncated' });
  const flipped = Uint8Array.from(bytes);
  flipped[5] = (flipped[5] as number) ^ 0xff;
  writeFileSync(path, flipped);
  await assert.rejects(store.ensure('local'), { code: 'model_hash_mismatch', message: /not loaded/ });
  await assert.rejects(store.openFile(join(dir, 'missing.onnx')), { code: 'model_missing' });
});

test('the cache evicts the least recently used model above its size cap', async (t) => {
  const files = { '/a': blob(40_000, 1), '/b': blob(40_000, 2), '/c': blob(40_000, 3) };
  const server = await serve(files);
  t.after(server.close);
  const cacheDir = tempDir();
  const catalog = Object.entries(files).map(([p, b]) => entry(p.slice(1), `${server.base}${p}`, b));
  const store = createModelStore({ cacheDir, capBytes: 100_000, catalog });
  const a = await store.ensure('a');
  await new Promise((r) => setTimeout(r, 20));
  const b = await store.ensure('b');
  await new Promise((r) => setTimeout(r, 20));
  await store.ensure('a'); // a is now more recent than b
  await new Promise((r) => setTimeout(r, 20));
  const c = await store.ensure('c');
  assert.ok(existsSync(a.path) && existsSync(c.path));
  assert.ok(!existsSync(b.path), 'b was the least recently used and should be gone');
  const tooBig = createModelStore({ cacheDir, capBytes: 1000, catalog });
  await assert.rejects(tooBig.ensure('b'), { code: 'model_too_large' });
});
