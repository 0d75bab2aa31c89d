import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { tempDir } from '../test-support.ts';
import { smallDisk } from '../fs/testing/full-disk.ts';
import { openLedger, jobKey } from './index.ts';
import { createTransaction } from './transaction.ts';
import { manualClock, sampleJob } from './testing/support.ts';

const count = (db: DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

test('SQLITE_FULL inside a transaction (max_page_count, what a full disk gives): the real error comes out, nothing half-written stays, and writing works again', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const db = new DatabaseSync(join(dir, 'full.sqlite'));
  t.after(() => db.close());
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x TEXT)');
  const transaction = createTransaction(db);
  transaction(() => db.prepare('INSERT INTO t VALUES (?)').run('kept'));
  const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages}`);
  const big = 'y'.repeat(100_000);
  const isFull = (error: Error & { errcode?: number }) => {
    // SQLite rolled the transaction back itself; rolling back again used to hide this behind "no transaction is active".
    assert.equal(error.errcode, 13, error.message);
    assert.match(error.message, /database or disk is full/);
    return true;
  };
  assert.throws(() => transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(big)), isFull);
  assert.equal(db.isTransaction, false);
  // Nested: the failure is inside a savepoint.
  assert.throws(() => transaction(() => {
    db.prepare('INSERT INTO t VALUES (?)').run('outer');
    transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(big));
  }), isFull);
  assert.equal(db.isTransaction, false);
  assert.equal(count(db), 1, 'only the row written before the disk filled');
  db.exec('PRAGMA max_page_count = 1073741823');
  transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(big));
  assert.equal(count(db), 2);
});

const disk = smallDisk(4096);
after(() => typeof disk !== 'string' && disk.unmount());

test('the ledger on a real full disk: each write fails with a readable reason, the history stays as it was, and writes resume once space is back', { skip: typeof disk === 'string' ? disk : false }, (t) => {
  if (typeof disk === 'string') return;
  t.after(() => disk.free());
  const path = join(disk.dir, 'data', 'ledger.sqlite');
  const clock = manualClock();
  let ledger = openLedger({ path, clock });
  t.after(() => ledger.close());
  for (let i = 1; i <= 5; i++) ledger.addJob(sampleJob(i));
  ledger.transition(jobKey(31337, sampleJob(1).market, '1'), 'claiming', null, { pricePerUnitWei: '900' });
  const before = ledger.listJobs({ filter: 'all', search: '', limit: 100 });
  disk.fill();
  const readable = (error: Error & { code?: string }) => {
    assert.equal(error.code, 'disk_full');
    assert.match(error.message, /^The disk is full: the latest change to the job history could not be saved in .*data, and the previous version is kept\. Free some space/);
    return true;
  };
  // Enough new rows that SQLite must grow its files whatever slack the last page had.
  const many = (from: number) => () => ledger.transaction(() => {
    for (let i = from; i < from + 200; i++) ledger.addJob(sampleJob(i, { inputUri: `http://127.0.0.1/in/${'x'.repeat(2000)}` }));
  });
  assert.throws(many(100), readable);
  assert.throws(() => {
    for (let i = 1000; i < 1200; i++) ledger.addTelemetry({ deviceId: 'gpu0', at: clock.now() + i * 1000, utilizationPct: 50, temperatureC: 60, powerW: 100 });
  }, readable);
  assert.deepEqual(ledger.listJobs({ filter: 'all', search: '', limit: 100 }), before, 'the history is as it was');
  disk.free();
  many(100)();
  ledger.close();
  ledger = openLedger({ path, clock });
  assert.equal(ledger.listJobs({ filter: 'all', search: '', limit: 1 }).total, 205);
  assert.equal(ledger.getJob(jobKey(31337, sampleJob(1).market, '1'))?.state, 'claiming');
  const db = new DatabaseSync(path, { readOnly: true });
  assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  db.close();
});
