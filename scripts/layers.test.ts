import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

// Lints small probe sources as if they sat in each layer, with the project's real config.
const root = join(import.meta.dirname, '..');
// Only the layer rule runs: the type-aware rules need the probe files to exist on disk.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'layers/boundaries',
});

async function layerErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/boundaries').map((m) => m.message);
}

const crossings: [string, string][] = [
  ['core/probe.ts', "import { app } from 'electron';"],
  ['daemon/probe.ts', "import { app } from 'electron';"],
  ['renderer/src/probe.ts', "import { readFile } from 'node:fs/promises';"],
  ['renderer/src/probe.ts', "import { createProvider } from '../../core/provider.ts';"],
  ['renderer/src/probe.ts', "import { Wallet } from 'ethers';"],
  ['worker/probe.ts', "import { createProvider } from '../core/provider.ts';"],
  ['worker/probe.ts', "import { Wallet } from 'ethers';"],
  ['common/probe.ts', "import { readFile } from 'node:fs';"],
  ['common/probe.ts', "export * from '../core/ports.ts';"],
  ['core/probe.ts', "import '../daemon/daemon.ts';"],
];

for (const [file, source] of crossings) {
  test(`layer crossing is refused: ${file} ← ${source}`, async () => {
    const errors = await layerErrors(file, source);
    assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0]!, /may not import/);
  });
}

test('allowed imports pass the layer rule', async () => {
  assert.deepEqual(await layerErrors('electron/probe.ts', "import { app } from 'electron';\nimport '../core/provider.ts';"), []);
  assert.deepEqual(await layerErrors('core/worker/probe.ts', "import './supervisor.ts';\nimport '../../common/errors.ts';"), []);
  assert.deepEqual(await layerErrors('renderer/src/probe.ts', "import '../../common/ipc/client.ts';\nimport { create } from 'zustand';"), []);
});
