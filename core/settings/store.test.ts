import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openSettingsStore } from './store.ts';
import { SETTINGS_VERSION, defaultSettings } from '../../common/settings.ts';
import { tempDir } from '../test-support.ts';
import { HearthError } from '../../common/errors.ts';

test('a missing file gives complete defaults and nothing is written until a change', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const store = await openSettingsStore(dir);
    assert.deepEqual(store.get(), defaultSettings());
    assert.deepEqual(store.warnings, []);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await cleanup();
  }
});

test('an update persists across reopening, with the file versioned and private', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const store = await openSettingsStore(dir);
    const seen: string[] = [];
    store.subscribe((s) => seen.push(s.general.theme));
    await store.update({ general: { theme: 'dark' } });
    assert.deepEqual(seen, ['dark']);
    const reopened = await openSettingsStore(dir);
    assert.equal(reopened.get().general.theme, 'dark');
    assert.equal(reopened.get().general.notifications, true, 'untouched fields keep their values');
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as { version: number };
    assert.equal(file.version, SETTINGS_VERSION);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
  } finally {
    await cleanup();
  }
});

test('an invalid update is refused with bad_input and changes neither memory nor disk', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const store = await openSettingsStore(dir);
    await store.update({ general: { theme: 'light' } });
    const before = await readFile(join(dir, 'settings.json'), 'utf8');
    for (const patch of [{ general: { theme: 'neon' } }, { general: { nope: 1 } }, { unknownSection: {} }, null]) {
      await assert.rejects(store.update(patch as never), (e: unknown) => e instanceof HearthError && e.code === 'bad_input');
    }
    assert.equal(store.get().general.theme, 'light');
    assert.equal(await readFile(join(dir, 'settings.json'), 'utf8'), before);
  } finally {
    await cleanup();
  }
});

test('a version-0 file is migrated forward', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 0, settings: { theme: 'light' } }));
    const store = await openSettingsStore(dir);
    assert.equal(store.get().general.theme, 'light');
    assert.deepEqual(store.warnings, []);
  } finally {
    await cleanup();
  }
});

test('a corrupt or invalid file is kept aside, defaults are used, and the user is told', async () => {
  for (const content of ['{ not json', JSON.stringify({ version: 1, settings: { general: { theme: 7 } } }), JSON.stringify({ version: 99, settings: {} })]) {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'settings.json'), content);
      const store = await openSettingsStore(dir, () => 1234);
      assert.deepEqual(store.get(), defaultSettings());
      assert.equal(store.warnings.length, 1);
      assert.match(store.warnings[0]!, /could not be read.*settings\.json\.bad-1234/);
      assert.equal(await readFile(join(dir, 'settings.json.bad-1234'), 'utf8'), content, 'the bad file is kept byte for byte');
    } finally {
      await cleanup();
    }
  }
});

test('concurrent updates are applied in order without losing either', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const store = await openSettingsStore(dir);
    await Promise.all([store.update({ general: { theme: 'dark' } }), store.update({ general: { launchAtLogin: true } })]);
    const reopened = await openSettingsStore(dir);
    assert.equal(reopened.get().general.theme, 'dark');
    assert.equal(reopened.get().general.launchAtLogin, true);
  } finally {
    await cleanup();
  }
});
