import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forkLauncher, systemClock } from '../node-ports.ts';
import type { LaunchSpec, Launcher } from '../ports.ts';
import { buildAffineModel, buildExternalDataModel } from '../models/onnx-builder.ts';
import { createModelStore } from '../models/store.ts';
import { createWorkerSupervisor, type SupervisorOptions } from './supervisor.ts';
import { isWithin, workerPermissionArgs } from './permissions.ts';
import { memoryLogger, tempDir } from './test-helpers.ts';

// A data folder laid out as Hearth's is, with a planted secret in each file the worker must
// never see, and the model cache and the worker's own folder under it.
const SECRET = 'hearth-secret-7f3a';
const SECRET_FILES = ['runtime.json', 'keystore.json', 'settings.json', 'ledger.sqlite'];
const repo = join(import.meta.dirname, '..', '..');
const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function dataFolder() {
  const dataDir = tempDir('hearth-sandbox-');
  folders.push(dataDir);
  for (const name of SECRET_FILES) writeFileSync(join(dataDir, name), `{"token":"${SECRET}"}`);
  const cacheDir = join(dataDir, 'cache');
  const workDir = join(cacheDir, 'worker');
  const store = createModelStore({ cacheDir });
  mkdirSync(store.cacheDir, { recursive: true });
  return { dataDir, cacheDir, workDir, store };
}

/** forkLauncher, keeping each spec it was given: what the supervisor really asked for. */
function recordingLauncher(): Launcher & { specs: LaunchSpec[] } {
  const specs: LaunchSpec[] = [];
  return { specs, launch: (spec) => (specs.push(spec), forkLauncher.launch(spec)) };
}

function supervisorIn(data: ReturnType<typeof dataFolder>, launcher: Launcher, extra: Partial<SupervisorOptions> = {}) {
  return createWorkerSupervisor({
    launcher,
    clock: systemClock,
    logger: memoryLogger(),
    workDir: data.workDir,
    modelPaths: data.store.readPaths(),
    env: { PATH: process.env.PATH ?? '', HEARTH_WALLET_PASSWORD: SECRET },
    ...extra,
  });
}

const affineInput = { x: { dtype: 'float32' as const, dims: [1, 4], data: Float32Array.from([1, 2, 3, 4]) } };

async function affineJob(data: ReturnType<typeof dataFolder>, launcher: Launcher, extra: Partial<SupervisorOptions> = {}) {
  const path = join(data.store.cacheDir, 'affine.onnx');
  writeFileSync(path, buildAffineModel());
  const supervisor = supervisorIn(data, launcher, extra);
  try {
    const result = await supervisor.run({ model: await data.store.openFile(path), inputs: affineInput });
    assert.deepEqual([...(result.outputs.y?.data as Float32Array)], [15.5, 3, 5]);
    // The packaged OCR models are read in place from node_modules: loading one proves that grant.
    const packaged = await supervisor.inspect(await data.store.ensure('paddleocr-cls-v2'));
    assert.equal(packaged.inputs[0]?.name, 'x');
    const pid = supervisor.status().pid;
    return pid && process.platform === 'linux' ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') : undefined;
  } finally {
    await supervisor.stop();
  }
}

test('the supervisor starts the worker under the permission model: data folder out, scratch writable, no children, no threads', async () => {
  const data = dataFolder();
  const launcher = recordingLauncher();
  const argv = await affineJob(data, launcher);
  const spec = launcher.specs[0];
  assert.ok(spec?.permissions, 'the launch spec carries the permissions');
  const flags = workerPermissionArgs(spec.permissions);
  assert.ok(flags.includes('--permission') && flags.includes('--allow-addons'));
  assert.ok(!flags.some((f) => /^--allow-(child-process|worker|wasi|inspector)/.test(f)), flags.join(' '));
  for (const name of SECRET_FILES) assert.equal(isWithin(join(data.dataDir, name), spec.permissions.read), false, `${name} is readable`);
  assert.equal(isWithin(join(data.cacheDir, 'settings.json'), spec.permissions.write), false);
  assert.ok(isWithin(data.workDir, spec.permissions.write));
  assert.equal(statSync(data.workDir).mode & 0o777, 0o700);
  // What was forked is what the spec says, not only what it says it would be.
  if (argv) {
    assert.ok(argv.includes('--permission'), argv.join(' '));
    assert.ok(argv.includes(`--allow-fs-write=${data.workDir}`), argv.join(' '));
  }
});

test('the bundled worker (dist/worker/main.cjs) runs real jobs under the same permission model', async () => {
  const root = tempDir('hearth-sandbox-bundle-');
  folders.push(root);
  const built = spawnSync(process.execPath, [join(repo, 'scripts', 'build-electron.mjs'), '--worker-only', '--outdir', root], { cwd: repo, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(root, 'node_modules'), 'dir');
  const launcher = recordingLauncher();
  const modulePath = join(root, 'dist', 'worker', 'main.cjs');
  const argv = await affineJob(dataFolder(), launcher, { entry: { modulePath, execArgv: [] } });
  if (argv) assert.ok(argv.includes('--permission') && argv.includes(modulePath), argv.join(' '));
  const read = launcher.specs[0]?.permissions?.read ?? [];
  // Bundled, the worker reads its own folder and node_modules, not the checkout it was built from.
  assert.ok(isWithin(modulePath, read));
  assert.equal(isWithin(join(repo, 'worker', 'main.ts'), read), false, read.join(' '));
});

// Model files cannot run JavaScript, so what a hostile payload could do with the worker's rights
// is tested by running a probe in the worker's place: the spec the supervisor built (flags, env,
// cwd), with the probe's own file as the only addition to what it may read.
const probeSource = String.raw`
const fs = require('node:fs');
const cp = require('node:child_process');
const { Worker } = require('node:worker_threads');
const [dataDir, cacheDir, workDir, model] = process.argv.slice(2);
const tryIt = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.code || String(e); } };
const out = {};
for (const name of ${JSON.stringify(SECRET_FILES)}) out['read ' + name] = tryIt(() => fs.readFileSync(dataDir + '/' + name));
out['list data folder'] = tryIt(() => fs.readdirSync(dataDir));
out['read /etc/passwd'] = tryIt(() => fs.readFileSync('/etc/passwd'));
out['write data folder'] = tryIt(() => fs.writeFileSync(dataDir + '/planted', 'x'));
out['write model cache'] = tryIt(() => fs.writeFileSync(cacheDir + '/models/planted.onnx', 'x'));
out['write temp'] = tryIt(() => fs.writeFileSync(require('node:os').tmpdir() + '/hearth-planted-' + process.pid, 'x'));
out['symlink secret into scratch'] = tryIt(() => fs.symlinkSync(dataDir + '/runtime.json', workDir + '/link'));
out['spawn'] = tryIt(() => cp.spawnSync('/bin/sh', ['-c', 'cat ' + dataDir + '/runtime.json']));
out['execFile'] = tryIt(() => cp.execFileSync('/bin/true'));
out['worker thread'] = tryIt(() => new Worker('1', { eval: true }));
out['execve'] = tryIt(() => process.execve('/bin/sh', ['sh', '-c', 'cat ' + dataDir + '/runtime.json']));
out['read model'] = tryIt(() => fs.readFileSync(model));
out['write scratch'] = tryIt(() => fs.writeFileSync(workDir + '/scratch.bin', 'x'));
out['has fs.read runtime.json'] = process.permission.has('fs.read', dataDir + '/runtime.json');
out['has child'] = process.permission.has('child');
out['env'] = Object.keys(process.env).sort().join(',');
process.send(out, () => process.exit(0));
`;

test('a hostile payload in the worker cannot read the token, keystore, settings or ledger, write outside its folder, or start processes', async () => {
  const data = dataFolder();
  const launcher = recordingLauncher();
  const model = join(data.store.cacheDir, 'affine.onnx');
  writeFileSync(model, buildAffineModel());
  const supervisor = supervisorIn(data, launcher);
  await supervisor.start();
  await supervisor.stop();
  const spec = launcher.specs[0];
  assert.ok(spec?.permissions);
  const probeDir = tempDir('hearth-probe-');
  folders.push(probeDir);
  const probe = join(probeDir, 'probe.cjs');
  writeFileSync(probe, probeSource);
  const child = forkLauncher.launch({
    ...spec,
    modulePath: probe,
    args: [data.dataDir, data.cacheDir, data.workDir, model],
    permissions: { read: [...spec.permissions.read, probe], write: spec.permissions.write },
  });
  const report = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.onMessage((m) => resolve(m as Record<string, unknown>));
    child.onExit((code) => reject(new Error(`the probe exited with ${code} before reporting`)));
  });
  const denied = ['list data folder', 'read /etc/passwd', 'write data folder', 'write model cache', 'write temp', 'symlink secret into scratch', 'spawn', 'execFile', 'worker thread', 'execve'];
  for (const name of SECRET_FILES) denied.push(`read ${name}`);
  for (const attempt of denied) assert.equal(report[attempt], 'ERR_ACCESS_DENIED', `${attempt}: ${String(report[attempt])}`);
  assert.equal(report['read model'], 'ok');
  assert.equal(report['write scratch'], 'ok');
  assert.equal(report['has fs.read runtime.json'], false);
  assert.equal(report['has child'], false);
  assert.doesNotMatch(String(report.env), /PASSWORD/);
  assert.equal(existsSync(join(data.dataDir, 'planted')), false);
  assert.equal(existsSync(join(data.cacheDir, 'models', 'planted.onnx')), false);
});

test('a hostile model that points its weights at the token file is refused; the worker folder is all ORT may read', async () => {
  const data = dataFolder();
  const supervisor = supervisorIn(data, forkLauncher);
  try {
    // ORT reads external weights itself, outside Node's permission model: from the worker's cwd
    // (<data>/cache/worker) the token is ../../runtime.json. ORT refuses paths that leave the cwd.
    const length = readFileSync(join(data.dataDir, 'runtime.json')).length;
    const hostile = join(data.store.cacheDir, 'hostile.onnx');
    writeFileSync(hostile, buildExternalDataModel('../../runtime.json', length));
    await assert.rejects(supervisor.run({ model: await data.store.openFile(hostile), inputs: {} }), (error: { code?: string; message?: string }) => {
      assert.equal(error.code, 'model_invalid');
      assert.doesNotMatch(String(error.message), new RegExp(SECRET));
      return true;
    });

    // The same model pointed at a file inside the worker's folder loads and echoes it: the attack
    // is well formed, and the worker's folder must never hold anything secret.
    writeFileSync(join(data.workDir, 'weights.bin'), 'x'.repeat(length));
    const local = join(data.store.cacheDir, 'local.onnx');
    writeFileSync(local, buildExternalDataModel('weights.bin', length));
    const echoed = await supervisor.run({ model: await data.store.openFile(local), inputs: {} });
    assert.equal(Buffer.from(echoed.outputs.y?.data as Uint8Array).toString(), 'x'.repeat(length));
  } finally {
    await supervisor.stop();
  }
});

test('a model file outside the grant is refused before the worker is asked; allowRead() grants exactly that file', async () => {
  const data = dataFolder();
  const elsewhere = tempDir('hearth-sandbox-model-');
  folders.push(elsewhere);
  const path = join(elsewhere, 'affine.onnx');
  writeFileSync(path, buildAffineModel());
  writeFileSync(join(elsewhere, 'neighbour.txt'), SECRET);
  const launcher = recordingLauncher();
  const supervisor = supervisorIn(data, launcher);
  try {
    const model = await data.store.openFile(path);
    await assert.rejects(supervisor.run({ model, inputs: affineInput }), { code: 'model_not_permitted' });
    await supervisor.stop();
    supervisor.allowRead(path);
    const result = await supervisor.run({ model, inputs: affineInput });
    assert.deepEqual([...(result.outputs.y?.data as Float32Array)], [15.5, 3, 5]);
    const read = launcher.specs.at(-1)?.permissions?.read ?? [];
    assert.ok(isWithin(path, read));
    assert.equal(isWithin(join(elsewhere, 'neighbour.txt'), read), false);
  } finally {
    await supervisor.stop();
  }
});
