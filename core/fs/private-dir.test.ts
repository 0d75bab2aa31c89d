import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createProvider } from '../provider.ts';
import { tempDir, testPorts } from '../test-support.ts';
import { ensurePrivateDir } from './private-dir.ts';

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

test('a new data folder is 0700, and an existing wider one is tightened', { skip: process.platform === 'win32' ? 'no POSIX modes' : false }, async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await ensurePrivateDir(join(dir, 'fresh', 'nested'));
    assert.equal(await modeOf(join(dir, 'fresh', 'nested')), 0o700);
    const old = join(dir, 'old');
    await mkdir(old);
    await chmod(old, 0o755);
    await ensurePrivateDir(old);
    assert.equal(await modeOf(old), 0o700);
  } finally {
    await cleanup();
  }
});

test('starting Hearth tightens a data folder an older version left world-readable', { skip: process.platform === 'win32' ? 'no POSIX modes' : false }, async () => {
  const { dir, cleanup } = await tempDir();
  const data = join(dir, 'data');
  await mkdir(join(data, 'cache'), { recursive: true });
  await chmod(data, 0o755);
  await chmod(join(data, 'cache'), 0o775);
  const provider = await createProvider(testPorts(data), { devnet: 'off' });
  try {
    assert.equal(await modeOf(data), 0o700);
    assert.equal(await modeOf(join(data, 'cache')), 0o700);
  } finally {
    await provider.stop();
    await cleanup();
  }
});
