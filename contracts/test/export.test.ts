// The app deploys and talks to the protocol through common/contracts/{abis,bytecode}.ts;
// they must match what the sources compile to now.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { abisFile, bytecodeFile, renderExports } from '../scripts/exports.ts';

await network.create(); // the runner compiled the sources before this file loads

describe('exported ABIs and bytecode', () => {
  it('are fresh (run `npm run contracts:export` after changing contracts/src)', async () => {
    const fresh = await renderExports();
    assert.ok((await readFile(abisFile, 'utf8')) === fresh.abis, 'common/contracts/abis.ts is stale');
    assert.ok((await readFile(bytecodeFile, 'utf8')) === fresh.bytecode, 'common/contracts/bytecode.ts is stale');
  });
});
