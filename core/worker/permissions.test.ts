import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWithin, workerPermissionArgs } from './permissions.ts';

test('permission flags: every write folder is readable too, nothing is repeated, no child processes or threads', () => {
  const args = workerPermissionArgs({ read: ['/opt/hearth/dist/worker', '/data/cache/models', '/data/cache/models'], write: ['/data/cache/worker'] });
  assert.deepEqual(args, [
    '--permission',
    '--allow-addons',
    '--disable-warning=PERM0001',
    '--allow-fs-read=/opt/hearth/dist/worker',
    '--allow-fs-read=/data/cache/models',
    '--allow-fs-read=/data/cache/worker',
    '--allow-fs-write=/data/cache/worker',
  ]);
});

test('permission paths must be absolute and free of "*", which Node would read as a wildcard', () => {
  assert.throws(() => workerPermissionArgs({ read: ['models'], write: [] }), { code: 'worker_sandbox_path' });
  assert.throws(() => workerPermissionArgs({ read: [], write: ['/data/*'] }), { code: 'worker_sandbox_path', message: /wildcard/ });
});

test('isWithin: a folder covers what is under it, not its neighbours with a longer name or what ".." leads to', () => {
  const roots = ['/data/cache/models', '/opt/x/file.onnx'];
  assert.ok(isWithin('/data/cache/models/a.onnx', roots));
  assert.ok(isWithin('/data/cache/models', roots));
  assert.ok(isWithin('/opt/x/file.onnx', roots));
  assert.equal(isWithin('/data/cache/models-old/a.onnx', roots), false);
  assert.equal(isWithin('/data/cache/models/../../runtime.json', roots), false);
  assert.equal(isWithin('/opt/x/file.onnx.bak', roots), false);
  assert.equal(isWithin('/data/runtime.json', roots), false);
});
