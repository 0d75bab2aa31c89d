import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isHearthError } from '../../common/errors.ts';
import { jobKey } from './index.ts';
import { MARKET, REQUESTER, sampleJob, tempLedger, txHash } from './testing/support.ts';

const key = (id: number | string) => jobKey(31337, MARKET, String(id));

test('jobKey lower-cases the market', () => {
  assert.equal(jobKey(1, '0xABCDEF0000000000000000000000000000000001', '7'), '1:0xabcdef0000000000000000000000000000000001:7');
});

test('addJob inserts once with a seen event; a second add changes nothing', async () => {
  const t = await tempLedger();
  try {
    assert.equal(t.ledger.addJob(sampleJob(1)), true);
    t.clock.advance(1000);
    assert.equal(t.ledger.addJob(sampleJob(1, { model: 'other' })), false);
    const job = t.ledger.getJob(key(1));
    assert.ok(job);
    assert.equal(job.model, 'resnet50');
    assert.equal(job.state, 'seen');
    assert.equal(job.seenAt, t.clock.now() - 1000);
    assert.deepEqual(job.events, [{ at: job.seenAt, state: 'seen', detail: null }]);
    assert.equal(job.market, MARKET);
    assert.equal(job.inputUri, 'http://127.0.0.1/in/1');
    assert.equal(job.gasWei, '0');
    assert.equal(job.earnedWei, null);
    assert.deepEqual(job.txs, []);
    assert.equal(t.ledger.getJob('31337:0x0:404'), undefined);
  } finally {
    await t.done();
  }
});

test('addJob refuses invalid input at the boundary', async () => {
  const t = await tempLedger();
  try {
    assert.throws(
      () => t.ledger.addJob(sampleJob(1, { maxPricePerUnitWei: '-5' })),
      (e) => isHearthError(e) && e.code === 'ledger_invalid',
    );
    assert.throws(
      () => t.ledger.addJob(sampleJob('0x10')),
      (e) => isHearthError(e) && e.code === 'ledger_invalid',
    );
  } finally {
    await t.done();
  }
});

test('transition appends events, sets reasons and patches fields; unknown keys throw', async () => {
  const t = await tempLedger();
  try {
    t.ledger.addJob(sampleJob(1));
    t.clock.advance(10);
    t.ledger.transition(key(1), 'claiming', null, { pricePerUnitWei: '900', provider: '0x2222222222222222222222222222222222222222' });
    t.clock.advance(10);
    t.ledger.transition(key(1), 'running', 'on cuda', { deviceId: 'gpu0', executionProvider: 'cuda' });
    t.clock.advance(10);
    t.ledger.transition(key(1), 'delivering', null, { runMs: 1234.5, resultHash: '0xfeed', electricityWei: '77' });
    let job = t.ledger.getJob(key(1));
    assert.ok(job);
    assert.equal(job.state, 'delivering');
    assert.equal(job.reason, 'on cuda', 'the last note stays while no new one is given');
    assert.equal(job.pricePerUnitWei, '900');
    assert.equal(job.deviceId, 'gpu0');
    assert.equal(job.executionProvider, 'cuda');
    assert.equal(job.runMs, 1234.5);
    assert.equal(job.resultHash, '0xfeed');
    assert.equal(job.updatedAt, t.clock.now());
    assert.deepEqual(
      job.events.map((e) => [e.state, e.detail]),
      [
        ['seen', null],
        ['claiming', null],
        ['running', 'on cuda'],
        ['delivering', null],
      ],
    );
    t.ledger.transition(key(1), 'failed', 'worker crashed');
    job = t.ledger.getJob(key(1));
    assert.equal(job?.reason, 'worker crashed');
    t.ledger.addJob(sampleJob(2));
    t.ledger.transition(key(2), 'running', 'note');
    t.ledger.transition(key(2), 'abandoned');
    assert.equal(t.ledger.getJob(key(2))?.reason, null, 'an ending state without a note has no reason');

    assert.throws(
      () => t.ledger.transition(key(99), 'claimed'),
      (e) => isHearthError(e) && e.code === 'ledger_unknown_job',
    );
    assert.throws(
      () => t.ledger.transition(key(1), 'nope' as 'paid'),
      (e) => isHearthError(e) && e.code === 'ledger_invalid',
    );
    assert.throws(
      () => t.ledger.transition(key(1), 'paid', null, { runMs: -1 }),
      (e) => isHearthError(e) && e.code === 'ledger_invalid',
    );
  } finally {
    await t.done();
  }
});

test('jobsIn returns jobs in the given states, oldest first, per chain', async () => {
  const t = await tempLedger();
  try {
    for (const id of [1, 2, 3, 4]) {
      t.ledger.addJob(sampleJob(id, id === 4 ? { chainId: 8453 } : {}));
      t.clock.advance(100);
    }
    t.ledger.transition(key(1), 'running');
    t.ledger.transition(key(2), 'declined', 'too cheap');
    t.ledger.transition(key(3), 'committed');
    t.ledger.transition(jobKey(8453, MARKET, '4'), 'running');
    assert.deepEqual(
      t.ledger.jobsIn(['running', 'committed']).map((j) => j.jobId),
      ['1', '3', '4'],
    );
    assert.deepEqual(
      t.ledger.jobsIn(['running', 'committed'], 31337).map((j) => j.jobId),
      ['1', '3'],
    );
    assert.deepEqual(t.ledger.jobsIn([]), []);
  } finally {
    await t.done();
  }
});

test('recordTx is idempotent by hash, updates status and gas; job gas is the sum of its txs', async () => {
  const t = await tempLedger();
  try {
    t.ledger.addJob(sampleJob(1));
    const big = (2n ** 70n).toString();
    t.ledger.recordTx({ hash: txHash(1), jobKey: key(1), label: 'claim', status: 'pending' });
    t.ledger.recordTx({
      hash: txHash(1),
      jobKey: key(1),
      label: 'claim',
      status: 'confirmed',
      gasUsed: '21000',
      gasWei: big,
      blockNumber: 5,
    });
    t.ledger.recordTx({
      hash: txHash(2),
      jobKey: key(1),
      label: 'commit',
      status: 'confirmed',
      gasWei: '5',
      blockNumber: 6,
      at: t.clock.now() + 1,
    });
    t.ledger.recordTx({ hash: txHash(2), jobKey: key(1), label: 'commit', status: 'confirmed' });
    t.ledger.recordTx({ hash: txHash(3), jobKey: null, label: 'claim-rewards', status: 'failed', chainId: 31337 });
    const job = t.ledger.getJob(key(1));
    assert.ok(job);
    assert.equal(job.gasWei, (2n ** 70n + 5n).toString());
    assert.deepEqual(job.txs, [
      { hash: txHash(1), label: 'claim', status: 'confirmed', gasUsed: '21000', gasWei: big, blockNumber: 5, at: t.clock.now() },
      { hash: txHash(2), label: 'commit', status: 'confirmed', gasUsed: null, gasWei: '5', blockNumber: 6, at: t.clock.now() + 1 },
    ]);
    assert.throws(
      () => t.ledger.recordTx({ hash: txHash(4), jobKey: key(9), label: 'x', status: 'pending' }),
      (e) => isHearthError(e) && e.code === 'ledger_unknown_job',
    );
    assert.throws(
      () => t.ledger.recordTx({ hash: '0x12', jobKey: null, label: 'x', status: 'pending' }),
      (e) => isHearthError(e) && e.code === 'ledger_invalid',
    );
  } finally {
    await t.done();
  }
});

test('listJobs filters, searches case-insensitively, pages newest first and counts all matches', async () => {
  const t = await tempLedger();
  try {
    const states = ['running', 'paid', 'declined', 'failed', 'disputed', 'expired', 'committed', 'paid'] as const;
    states.forEach((state, i) => {
      t.ledger.addJob(sampleJob(i + 1, { model: i === 2 ? 'Whisper-Tiny' : 'resnet50' }));
      t.ledger.transition(key(i + 1), state, state === 'declined' ? 'Below My Price' : null);
      t.clock.advance(1000);
    });
    const ids = (r: { jobs: { jobId: string }[] }) => r.jobs.map((j) => j.jobId);
    const all = t.ledger.listJobs({ filter: 'all', search: '', limit: 100 });
    assert.equal(all.total, 8);
    assert.deepEqual(ids(all), ['8', '7', '6', '5', '4', '3', '2', '1']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'active', search: '', limit: 100 })), ['7', '5', '1']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'paid', search: '', limit: 100 })), ['8', '2']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'declined', search: '', limit: 100 })), ['3']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'problems', search: '', limit: 100 })), ['6', '5', '4']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'all', search: 'whisper', limit: 100 })), ['3']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'all', search: 'my price', limit: 100 })), ['3']);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'all', search: 'EXPIRED', limit: 100 })), ['6']);
    assert.equal(t.ledger.listJobs({ filter: 'all', search: REQUESTER.toUpperCase().replace('0X', '0x'), limit: 100 }).total, 8);
    assert.deepEqual(ids(t.ledger.listJobs({ filter: 'all', search: '7', limit: 100 })), ['7']);
    assert.equal(t.ledger.listJobs({ filter: 'all', search: '%', limit: 100 }).total, 0, 'wildcards are literal');
    const page1 = t.ledger.listJobs({ filter: 'all', search: '', limit: 3 });
    assert.deepEqual(ids(page1), ['8', '7', '6']);
    assert.equal(page1.total, 8);
    const page2 = t.ledger.listJobs({ filter: 'all', search: '', limit: 3, before: page1.jobs.at(-1)?.seenAt });
    assert.deepEqual(ids(page2), ['5', '4', '3']);
    assert.equal(t.ledger.listJobs({ filter: 'all', search: '', limit: 100, chainId: 1 }).total, 0);
  } finally {
    await t.done();
  }
});

test('a stored row that fails its schema is reported, not returned', async () => {
  const t = await tempLedger();
  try {
    t.ledger.addJob(sampleJob(1));
    t.ledger.addJob(sampleJob(2));
    t.ledger.close();
    const db = new DatabaseSync(t.path);
    db.prepare("UPDATE jobs SET earned_wei = 'lots', state = 'running' WHERE job_id = '1'").run();
    db.close();
    const { openLedger } = await import('./index.ts');
    const ledger = openLedger({ path: t.path, clock: t.clock, logger: t.logger });
    try {
      assert.deepEqual(
        ledger.listJobs({ filter: 'all', search: '', limit: 10 }).jobs.map((j) => j.jobId),
        ['2'],
      );
      assert.deepEqual(ledger.jobsIn(['running']), []);
      assert.throws(
        () => ledger.getJob(key(1)),
        (e) => isHearthError(e) && e.code === 'ledger_bad_row',
      );
      assert.ok(t.logger.entries.some((e) => e.level === 'error' && e.message.includes('does not match its schema')));
    } finally {
      ledger.close();
    }
  } finally {
    await t.done();
  }
});
