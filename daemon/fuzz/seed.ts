/**
 * The fuzzers' base seed: HEARTH_FUZZ_SEED to replay a reported run, otherwise a fresh one
 * each run (printed with the results), so every run covers new inputs and any failure can
 * be reproduced exactly.
 */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env['HEARTH_FUZZ_SEED'];
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`HEARTH_FUZZ_SEED must be a whole number, not ${JSON.stringify(given)}.`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
