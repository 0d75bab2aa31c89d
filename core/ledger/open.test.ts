import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isHearthError } from '../../common/errors.ts';
import { memoryLogger, tempDir } from '../test-support.ts';
import { jobKey, openLedger } from './index.ts';
import { migrate, migrations, schemaVersion } from './migrations.ts';
import { MARKET, manualClock, sampleJob } from './testing/support.ts';

async function inTemp(fn: (dir: string) => void | Promise<void>) {
  const { dir, cleanup } = await tempDir('hearth-ledger-');
  try {
    await fn(dir);
  } finally {
    await cleanup();
  }
}

test('a new ledger: folder 0700, file and lock 0600, WAL, foreign keys, latest schema; close releases the lock', () =>
  inTemp((dir) => {
    const path = join(dir, 'nested', 'ledger.sqlite');
    const ledger = openLedger({ path, clock: manualClock() });
    assert.equal(statSync(join(dir, 'nested')).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(`${path}.lock`).mode & 0o777, 0o600);
    assert.equal(readFileSync(`${path}.lock`, 'utf8').split('\n')[0], String(process.pid));
    ledger.close();
    ledger.close();
    assert.equal(existsSync(`${path}.lock`), false);
    const db = new DatabaseSync(path);
    assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
    assert.equal(schemaVersion(db), migrations.length);
    db.close();
    const again = openLedger({ path, clock: manualClock() });
    assert.equal(again.recovery, null);
    again.close();
  }));

test('a second open while the first is live is ledger_busy; a lock left by a dead process is taken over', () =>
  inTemp((dir) => {
    const path = join(dir, 'ledger.sqlite');
    const first = openLedger({ path, clock: manualClock() });
    assert.throws(
      () => openLedger({ path, clock: manualClock() }),
      (e) => isHearthError(e) && e.code === 'ledger_busy' && e.message.includes(String(process.pid)) && e.message.includes('.lock'),
    );
    first.close();
    // A live pid that is not ours (the test runner's) also holds it.
    writeFileSync(`${path}.lock`, `${process.ppid}\n`, { mode: 0o600 });
    assert.throws(
      () => openLedger({ path, clock: manualClock() }),
      (e) => isHearthError(e) && e.code === 'ledger_busy',
    );
    // A dead pid: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${path}.lock`, `${dead.stdout}\n`, { mode: 0o600 });
    const ledger = openLedger({ path, clock: manualClock() });
    assert.equal(readFileSync(`${path}.lock`, 'utf8').split('\n')[0], String(process.pid));
    ledger.close();
  }));

test('a v1 ledger (the migration list cut to one step) upgrades and keeps its jobs', () =>
  inTemp((dir) => {
    const path = join(dir, 'ledger.sqlite');
    const db = new DatabaseSync(path);
    assert.deepEqual(migrate(db, migrations.slice(0, 1)), [1]);
    db.prepare(
      `INSERT INTO jobs (key, chain_id, market, class_label, job_id, requester, model, model_hash, units, max_price_wei,
      deadline, input_uri, input_hash, posted_block, state, seen_at, updated_at, earned_wei)
      VALUES (?, 31337, ?, 'gpu-8g', '7', ?, 'resnet50', '0xab', 2, '5', 1, 'u', 'h', 1, 'paid', 10, 20, '9')`,
    ).run(jobKey(31337, MARKET, '7'), MARKET, MARKET);
    db.close();
    const ledger = openLedger({ path, clock: manualClock() });
    try {
      assert.equal(ledger.getJob(jobKey(31337, MARKET, '7'))?.earnedWei, '9');
      ledger.setCursor('c', 1, '0x1'); // tables from the later steps exist
      ledger.addTelemetry({ at: 1, deviceId: 'gpu0', utilizationPct: 1, temperatureC: null, powerW: null });
    } finally {
      ledger.close();
    }
    const check = new DatabaseSync(path);
    assert.equal(schemaVersion(check), migrations.length);
    check.close();
    migrations.forEach((m, i) => assert.equal(m.version, i + 1, 'versions are 1..n in order'));
  }));

test('a ledger from a newer Hearth is refused with ledger_too_new and left untouched', () =>
  inTemp((dir) => {
    const path = join(dir, 'ledger.sqlite');
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
    db.close();
    const before = readFileSync(path);
    assert.throws(
      () => openLedger({ path, clock: manualClock() }),
      (e) => isHearthError(e) && e.code === 'ledger_too_new' && /Update Hearth/.test(e.message),
    );
    assert.deepEqual(readFileSync(path), before);
    assert.equal(existsSync(`${path}.lock`), false, 'the lock is released');
  }));

test('a file that is not a database is moved aside, reported and logged; a fresh ledger opens', () =>
  inTemp((dir) => {
    const path = join(dir, 'ledger.sqlite');
    mkdirSync(dir, { recursive: true });
    const garbage = Buffer.from('this is not an SQLite file, it is garbage '.repeat(200));
    writeFileSync(path, garbage);
    const logger = memoryLogger();
    const ledger = openLedger({ path, clock: manualClock(), logger });
    try {
      assert.equal(ledger.recovery?.error.code, 'ledger_corrupt');
      const moved = ledger.recovery?.movedTo ?? '';
      assert.match(moved, /ledger\.sqlite\.corrupt-2026-01-05T12-00-00-000Z$/);
      assert.deepEqual(readFileSync(moved), garbage, 'the damaged file is kept');
      assert.ok(logger.entries.some((e) => e.level === 'error' && e.message.includes(moved)));
      assert.equal(ledger.addJob(sampleJob(1)), true);
      assert.ok(readdirSync(dir).includes('ledger.sqlite'));
    } finally {
      ledger.close();
    }
  }));

test('transaction commits, rolls back on throw, nests as savepoints and refuses async functions', () =>
  inTemp(async (dir) => {
    const ledger = openLedger({ path: join(dir, 'l.sqlite'), clock: manualClock() });
    try {
      ledger.transaction(() => {
        ledger.addJob(sampleJob(1));
        ledger.setCursor('a', 1, '0x1');
      });
      assert.throws(() =>
        ledger.transaction(() => {
          ledger.addJob(sampleJob(2));
          throw new Error('boom');
        }),
      );
      assert.equal(ledger.getJob(jobKey(31337, MARKET, '2')), undefined);
      const result = ledger.transaction(() => {
        ledger.addJob(sampleJob(3));
        assert.throws(() =>
          ledger.transaction(() => {
            ledger.addJob(sampleJob(4));
            throw new Error('inner');
          }),
        );
        return 'kept';
      });
      assert.equal(result, 'kept');
      assert.ok(ledger.getJob(jobKey(31337, MARKET, '3')));
      assert.equal(ledger.getJob(jobKey(31337, MARKET, '4')), undefined);
      assert.throws(
        () => ledger.transaction(async () => ledger.addJob(sampleJob(5))),
        (e) => isHearthError(e) && e.code === 'ledger_async_transaction',
      );
      assert.equal(ledger.getJob(jobKey(31337, MARKET, '5')), undefined);
      assert.equal(ledger.listJobs({ filter: 'all', search: '', limit: 10 }).total, 2);
    } finally {
      ledger.close();
    }
  }));

test('cursors and block hashes: set/get, keep the last 256, rewind after a reorg', () =>
  inTemp((dir) => {
    const ledger = openLedger({ path: join(dir, 'l.sqlite'), clock: manualClock() });
    try {
      assert.equal(ledger.getCursor('31337:m'), undefined);
      ledger.setCursor('31337:m', 10, '0xa');
      ledger.setCursor('31337:m', 11, '0xb');
      assert.deepEqual(ledger.getCursor('31337:m'), { block: 11, hash: '0xb' });
      for (let b = 1; b <= 300; b++) ledger.saveBlockHash('31337:m', b, `0x${b}`);
      ledger.saveBlockHash('other', 5, '0xo');
      assert.equal(ledger.blockHash('31337:m', 300), '0x300');
      assert.equal(ledger.blockHash('31337:m', 45), '0x45');
      assert.equal(ledger.blockHash('31337:m', 44), undefined, 'older than the last 256 is pruned');
      ledger.saveBlockHash('31337:m', 300, '0xreplaced');
      assert.equal(ledger.blockHash('31337:m', 300), '0xreplaced');
      ledger.forgetBlocksAbove('31337:m', 290);
      assert.equal(ledger.blockHash('31337:m', 291), undefined);
      assert.equal(ledger.blockHash('31337:m', 290), '0x290');
      assert.equal(ledger.blockHash('other', 5), '0xo');
    } finally {
      ledger.close();
    }
  }));
