// Gas goals from issue 6, and no regression against the committed baseline
// (contracts/gas-baseline.json, refreshed by `npm run contracts:gas -- --update`).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import { GAS_GOALS, measureGas } from '../testkit/gas-scenario.ts';

const TOLERANCE = 0.02;
// Coverage instrumentation inflates gas: the goals only apply to the optimised build.
const skip = process.env.HARDHAT_COVERAGE === 'true' ? 'gas is not meaningful under coverage' : false;
const conn = await network.create();
const figures = await measureGas(conn);
// contracts:gas asks for the figures to fold them into its comparison.
if (process.env.HEARTH_GAS_FIGURES) await writeFile(process.env.HEARTH_GAS_FIGURES, JSON.stringify(figures, null, 2));

describe('gas', () => {
  for (const [name, goal] of Object.entries(GAS_GOALS)) {
    it(`${name} stays within the ${goal} gas goal`, { skip }, () => {
      const value = figures[name];
      assert.ok(value !== undefined, `no figure ${name}`);
      assert.ok(value <= goal, `${name} used ${value} gas, goal ${goal}`);
    });
  }

  it('on-chain cost per inference falls with batch size', () => {
    assert.ok(figures.per_unit_batch_10! < figures.per_unit_batch_1! / 5);
    assert.ok(figures.per_unit_batch_100! < figures.per_unit_batch_10! / 5);
  });

  // `contracts:gas -- --update` is what refreshes the baseline, so it must not fail on it.
  const baselineSkip = skip || (process.env.HEARTH_GAS_UPDATE ? 'refreshing the baseline' : false);
  it('no figure regressed past the committed baseline', { skip: baselineSkip }, async () => {
    const baseline = JSON.parse(await readFile(new URL('../gas-baseline.json', import.meta.url), 'utf8')) as {
      figures: Record<string, number>;
    };
    const worse = Object.entries(baseline.figures)
      .filter(([name, base]) => (figures[name] ?? Infinity) > base * (1 + TOLERANCE))
      .map(([name, base]) => `${name}: ${figures[name]} vs baseline ${base}`);
    assert.deepEqual(worse, [], 'run `npm run contracts:gas -- --update` if the increase is intended');
  });
});
