/**
 * The contract fuzzer on a short budget: a real daemon (its own process, temp data folder,
 * no chain), every call in the contract with generated inputs over the real WebSocket, then
 * raw malformed frames on the same socket. `npm run bench -- fuzz` runs the same at length.
 * A failure prints the seed; rerun it with HEARTH_FUZZ_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callNames } from '../common/ipc/contract.ts';
import { fuzzContract } from './fuzz/contract-fuzz.ts';
import { fuzzSeed } from './fuzz/seed.ts';
import { startFuzzTarget } from './fuzz/target.ts';

const CASES_PER_CHANNEL = 20;
const MALFORMED_FRAMES = 150;

test(
  'every call in the contract survives hostile and wrong input, refusals are readable and change nothing',
  { timeout: 120_000 },
  async (t) => {
    const seed = fuzzSeed();
    const target = await startFuzzTarget();
    try {
      const report = await fuzzContract(target, { seed, casesPerChannel: CASES_PER_CHANNEL, malformedFrames: MALFORMED_FRAMES });
      t.diagnostic(`seed ${seed}: ${report.cases} cases over ${report.channels} calls, ${report.frames} malformed frames`);
      assert.deepEqual(report.failures, [], `seed ${seed}`);
      assert.equal(report.channels, callNames.length, 'every call in the contract was fuzzed');
      assert.equal(report.cases, callNames.length * CASES_PER_CHANNEL);
      assert.equal(target.exited(), null, 'the daemon is still running');
    } finally {
      await target.stop();
    }
  },
);
