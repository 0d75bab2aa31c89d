/**
 * Cost of the ledger on a real SQLite file.
 *   node --import tsx bench/ledger.ts [--jobs 10000]
 * Prints:
 *   figure ledger.insert_per_s — jobs recorded per second, each one addJob (job + event, its own transaction)
 *   figure ledger.list_ms      — one Jobs page: listJobs of 100 newest among all the jobs, median of 50
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jobKey, openLedger } from '../core/ledger/index.ts';
import { manualClock, MARKET, sampleJob } from '../core/ledger/testing/support.ts';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '10000' } } });
const count = Math.max(100, Number(values.jobs) || 10_000);
const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-ledger-'));
try {
  const clock = manualClock();
  const ledger = openLedger({ path: join(dir, 'ledger.sqlite'), clock });
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= count; i++) {
    clock.advance(1000);
    ledger.addJob(sampleJob(i, { model: i % 7 === 0 ? 'whisper-tiny' : 'resnet50' }));
  }
  const insertS = Number(process.hrtime.bigint() - t0) / 1e9;
  // Give a fifth of them a history, as the Jobs page would see.
  ledger.transaction(() => {
    for (let i = 1; i <= count; i += 5) ledger.transition(jobKey(31337, MARKET, String(i)), i % 2 ? 'paid' : 'declined', 'bench');
  });
  const times: number[] = [];
  for (let run = 0; run < 55; run++) {
    const t = process.hrtime.bigint();
    const page = ledger.listJobs({ filter: 'all', search: '', limit: 100 });
    if (page.jobs.length !== 100) throw new Error('short page');
    if (run >= 5) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  ledger.close();
  console.log(`figure ledger.insert_per_s ${Math.round(count / insertS)} ops/s`);
  console.log(`figure ledger.list_ms ${(times[Math.floor(times.length / 2)] ?? NaN).toFixed(2)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
