import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { tempDir } from '../test-support.ts';
import { openLedger } from './index.ts';
import { manualClock } from './testing/support.ts';

const writer = fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url));
const KILLS = 20;

/** Starts the writer, waits until it is writing, lets it run a random moment, SIGKILLs it. */
async function runAndKill(path: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then(({ code }) => reject(new Error(`writer exited (${code}) before it was ready: ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 150));
  child.kill('SIGKILL');
  const { signal } = await exited;
  assert.equal(signal, 'SIGKILL', `the writer died by itself: ${stderr}`);
}

/** Checks the invariants with plain SQL, then through the ledger. Returns the counts. */
function check(path: string): { jobs: number; payments: number } {
  const db = new DatabaseSync(path);
  try {
    assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
    const orphans = db
      .prepare(
        'SELECT count(*) AS n FROM payments p JOIN jobs j ON j.key = p.job_key WHERE j.earned_wei IS NOT p.amount_wei OR j.state <> ?',
      )
      .get('paid') as { n: number };
    assert.equal(orphans.n, 0, 'every payment has its job marked paid with earnedWei');
    const { maxBlock, payments } = db.prepare('SELECT max(block_number) AS maxBlock, count(*) AS payments FROM payments').get() as {
      maxBlock: number | null;
      payments: number;
    };
    const cursor = db.prepare("SELECT block FROM cursors WHERE name = 'crash'").get() as { block: number } | undefined;
    assert.equal(cursor?.block ?? null, maxBlock, 'the cursor moved with the payments');
    assert.equal(payments, maxBlock ?? 0, 'no payment is missing in between');
    const noSeen = db
      .prepare(
        "SELECT count(*) AS n FROM jobs j WHERE NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_key = j.key AND e.state = 'seen')",
      )
      .get() as { n: number };
    assert.equal(noSeen.n, 0, 'every job has its first event');
    const { jobs } = db.prepare('SELECT count(*) AS jobs FROM jobs').get() as { jobs: number };
    return { jobs, payments };
  } finally {
    db.close();
  }
}

test(`crash safety: a writer SIGKILLed ${KILLS} times leaves a consistent ledger that only grows`, { timeout: 240_000 }, async () => {
  const { dir, cleanup } = await tempDir('hearth-ledger-crash-');
  try {
    const path = join(dir, 'ledger.sqlite');
    let last = { jobs: 0, payments: 0 };
    for (let i = 0; i < KILLS; i++) {
      await runAndKill(path);
      // Reopening takes over the dead writer's lock and reads everything through the schemas.
      const ledger = openLedger({ path, clock: manualClock() });
      try {
        assert.equal(ledger.recovery, null);
        const listed = ledger.listJobs({ filter: 'paid', search: '', limit: 500 });
        assert.ok(listed.jobs.every((j) => j.earnedWei !== null && j.gasWei === '21000'));
      } finally {
        ledger.close();
      }
      const now = check(path);
      assert.ok(
        now.jobs >= last.jobs && now.payments >= last.payments,
        `counts went down: ${JSON.stringify(last)} → ${JSON.stringify(now)}`,
      );
      last = now;
    }
    assert.ok(last.payments > 0, 'the writer got some work done');
  } finally {
    await cleanup();
  }
});
