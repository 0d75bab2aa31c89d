/**
 * The fuzz suite at length (the same generators and checks as daemon/fuzz-*.test.ts):
 * every call in the contract with generated inputs and raw malformed frames over an
 * authorized WebSocket, then raw HTTP requests and WebSocket frames over TCP, each against
 * a real daemon in its own process. Exits 1 when the daemon crashed or an invariant broke.
 * Run: node --import tsx bench/fuzz.ts [casesPerChannel=500] [rawCases=20000]
 * Replay a run: HEARTH_FUZZ_SEED=<seed printed below>.
 */
import { fuzzContract } from '../daemon/fuzz/contract-fuzz.ts';
import { fuzzRaw } from '../daemon/fuzz/raw-fuzz.ts';
import { fuzzSeed } from '../daemon/fuzz/seed.ts';
import { startFuzzTarget } from '../daemon/fuzz/target.ts';

const casesPerChannel = Number(process.argv[2] ?? 500);
const rawCases = Number(process.argv[3] ?? 20_000);
if (!Number.isInteger(casesPerChannel) || casesPerChannel < 1 || !Number.isInteger(rawCases) || rawCases < 1) {
  process.stderr.write('usage: bench/fuzz.ts [casesPerChannel] [rawCases] (whole numbers above 0)\n');
  process.exit(2);
}
const seed = fuzzSeed();
const log = (line: string): void => void process.stderr.write(`# ${line}\n`);
const failures: string[] = [];
log(`seed ${seed}`);

const contractTarget = await startFuzzTarget();
try {
  const contract = await fuzzContract(contractTarget, {
    seed,
    casesPerChannel,
    malformedFrames: Math.max(150, Math.round(rawCases / 10)),
    progress: log,
  });
  failures.push(...contract.failures);
  process.stdout.write(`figure fuzz.contract_cases ${contract.cases} cases\n`);
  process.stdout.write(`figure fuzz.channels ${contract.channels} channels\n`);
  process.stdout.write(`figure fuzz.malformed_frames ${contract.frames} cases\n`);
  process.stdout.write(`figure fuzz.contract_rss_growth_mb ${(contract.memoryEnd.rss - contract.memoryStart.rss).toFixed(1)} MB\n`);
  process.stdout.write(`figure fuzz.contract_heap_growth_mb ${(contract.memoryEnd.heap - contract.memoryStart.heap).toFixed(1)} MB\n`);
  const accepted = Object.values(contract.perChannel).reduce((sum, tally) => sum + tally.accepted, 0);
  const oversize = Object.values(contract.perChannel).reduce((sum, tally) => sum + tally.oversize, 0);
  log(`contract: ${accepted} inputs accepted by their schema (read-only calls), ${oversize} frames over the size limit`);
} finally {
  await contractTarget.stop();
}

const rawTarget = await startFuzzTarget();
try {
  const raw = await fuzzRaw(rawTarget, { seed, httpCases: rawCases, frameCases: rawCases, batch: 1000, concurrency: 64, progress: log });
  failures.push(...raw.failures);
  process.stdout.write(`figure fuzz.http_cases ${raw.httpCases} cases\n`);
  process.stdout.write(`figure fuzz.frame_cases ${raw.frameCases} cases\n`);
  process.stdout.write(`figure fuzz.daemon_rss_growth_mb ${(raw.memoryEnd.rss - raw.memoryStart.rss).toFixed(1)} MB\n`);
  process.stdout.write(`figure fuzz.daemon_heap_growth_mb ${(raw.memoryEnd.heap - raw.memoryStart.heap).toFixed(1)} MB\n`);
  process.stdout.write(`figure fuzz.daemon_rss_peak_mb ${raw.rssPeakMb.toFixed(1)} MB\n`);
  log(`answers: ${JSON.stringify(raw.statuses)}`);
} finally {
  await rawTarget.stop();
}

for (const failure of failures.slice(0, 50)) process.stdout.write(`failure ${failure}\n`);
process.stdout.write(`figure fuzz.failures ${failures.length} failures\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
