import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHearthError } from '../../common/errors.ts';
import { jobKey } from './index.ts';
import { localDay } from './earnings.ts';
import { MARKET, PROVIDER, sampleJob, tempLedger, txHash } from './testing/support.ts';

const key = (id: number | string, chainId = 31337) => jobKey(chainId, MARKET, String(id));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function payment(
  id: number,
  amountWei: string,
  at: number,
  over: Partial<{ provider: string; chainId: number; blockNumber: number }> = {},
) {
  return {
    jobKey: key(id, over.chainId),
    chainId: 31337,
    provider: PROVIDER,
    amountWei,
    feeWei: '1',
    blockNumber: 10 + id,
    txHash: txHash(1000 + id),
    at,
    ...over,
  };
}

test('recordPayment is idempotent by job, sets the job earned/fee, refuses a different second payment', async () => {
  const t = await tempLedger();
  try {
    t.ledger.addJob(sampleJob(1));
    const p = payment(1, '950', t.clock.now());
    assert.equal(t.ledger.recordPayment(p), true);
    assert.equal(
      t.ledger.recordPayment({ ...p, provider: PROVIDER.toUpperCase().replace('0X', '0x') }),
      false,
      'the same payment again is a no-op',
    );
    // The settle receipt and the followed JobSettled log record the same payment at different moments.
    assert.equal(t.ledger.recordPayment({ ...p, at: p.at + 5_000 }), false, 'the same payment seen later is a no-op');
    assert.throws(
      () => t.ledger.recordPayment({ ...p, amountWei: '951' }),
      (e) => isHearthError(e) && e.code === 'ledger_payment_conflict',
    );
    const job = t.ledger.getJob(key(1));
    assert.equal(job?.earnedWei, '950');
    assert.equal(job?.feeWei, '1');
    assert.deepEqual(t.ledger.payments({ chainId: 31337, provider: PROVIDER }), [
      { jobKey: key(1), amountWei: '950', blockNumber: 11, txHash: txHash(1001) },
    ]);
    assert.deepEqual(t.ledger.payments({ chainId: 1, provider: PROVIDER }), []);
    assert.throws(
      () => t.ledger.recordPayment(payment(2, '1', 0)),
      (e) => isHearthError(e) && e.code === 'ledger_unknown_job',
    );
    assert.throws(
      () => t.ledger.recordPayment({ ...payment(1, '1', 0), amountWei: '1.5' }),
      (e) => isHearthError(e) && e.code === 'ledger_invalid',
    );
  } finally {
    await t.done();
  }
});

test('totals sum huge wei exactly and compute pending after the fee', async () => {
  const t = await tempLedger();
  try {
    const huge = 2n ** 64n + 12345n;
    for (const id of [1, 2, 3, 4, 5]) t.ledger.addJob(sampleJob(id, { units: 3, maxPricePerUnitWei: (2n ** 66n).toString() }));
    t.ledger.recordPayment(payment(1, huge.toString(), 1000));
    t.ledger.recordPayment(payment(2, huge.toString(), 3000));
    t.ledger.transition(key(3), 'committed', null, { pricePerUnitWei: (2n ** 65n + 1n).toString(), provider: PROVIDER });
    t.ledger.transition(key(4), 'settling'); // no price yet: the max price counts
    t.ledger.transition(key(5), 'committed', null, { provider: '0x3333333333333333333333333333333333333333' }); // another wallet's
    const totals = t.ledger.totals({ chainId: 31337, provider: PROVIDER, feeBps: 250 });
    assert.equal(totals.jobsPaid, 2);
    assert.equal(totals.earnedWei, (huge * 2n).toString());
    assert.equal(totals.lastPaymentAt, 3000);
    const net = (gross: bigint) => gross - (gross * 250n) / 10_000n;
    assert.equal(totals.pendingWei, (net(3n * (2n ** 65n + 1n)) + net(3n * 2n ** 66n)).toString());
    assert.deepEqual(t.ledger.totals({ chainId: 1, provider: PROVIDER, feeBps: 0 }), {
      jobsPaid: 0,
      earnedWei: '0',
      pendingWei: '0',
      lastPaymentAt: null,
    });
  } finally {
    await t.done();
  }
});

test('earnings bucket by local day across a timezone offset, zero-filled over 30 days', async () => {
  const t = await tempLedger();
  try {
    // UTC+2 (getTimezoneOffset -120). Now: 2026-01-05 12:00 UTC = 14:00 local.
    const tz = -120;
    const now = Date.UTC(2026, 0, 5, 12, 0, 0);
    t.clock.set(now);
    const at = {
      todayEarly: Date.UTC(2026, 0, 4, 22, 30), // 00:30 local on the 5th: today, though yesterday in UTC
      yesterdayLate: Date.UTC(2026, 0, 4, 21, 59), // 23:59 local on the 4th
      sixDaysAgo: Date.UTC(2025, 11, 30, 10, 0),
      sevenDaysAgo: Date.UTC(2025, 11, 29, 10, 0),
      tooOld: Date.UTC(2025, 11, 6, 21, 59), // 23:59 local on Dec 6: just before the 30 days
      firstDay: Date.UTC(2025, 11, 6, 22, 0), // 00:00 local on Dec 7: the oldest day shown
    };
    const huge = 2n ** 65n;
    Object.values(at).forEach((when, i) => {
      t.ledger.addJob(sampleJob(i + 1));
      t.ledger.recordPayment(payment(i + 1, huge.toString(), when));
    });
    t.ledger.addJob(sampleJob(50));
    t.ledger.recordPayment(payment(50, '7', at.todayEarly, { provider: '0x3333333333333333333333333333333333333333' }));
    t.ledger.transition(key(1), 'paid', null, { electricityWei: '40' });
    t.ledger.transition(key(2), 'paid', null, { electricityWei: '2' });
    t.ledger.recordTx({ hash: txHash(1), jobKey: key(1), label: 'settle', status: 'confirmed', gasWei: '9', at: at.todayEarly });
    t.ledger.recordTx({
      hash: txHash(2),
      jobKey: null,
      chainId: 31337,
      label: 'claim-rewards',
      status: 'confirmed',
      gasWei: (2n ** 64n).toString(),
      at: at.yesterdayLate,
    });
    t.ledger.recordTx({
      hash: txHash(3),
      jobKey: null,
      chainId: 1,
      label: 'other chain',
      status: 'confirmed',
      gasWei: '1000',
      at: at.todayEarly,
    });

    const e = t.ledger.earnings({ chainId: 31337, provider: PROVIDER, now, tzOffsetMinutes: tz });
    assert.equal(e.days.length, 30);
    assert.equal(e.days[0]?.day, '2025-12-07');
    assert.equal(e.days.at(-1)?.day, '2026-01-05');
    const byDay = new Map(e.days.map((d) => [d.day, d]));
    assert.deepEqual(byDay.get('2026-01-05'), {
      day: '2026-01-05',
      earnedWei: huge.toString(),
      gasWei: '9',
      jobs: 1,
      electricityWei: '40',
    });
    assert.deepEqual(byDay.get('2026-01-04'), {
      day: '2026-01-04',
      earnedWei: huge.toString(),
      gasWei: (2n ** 64n).toString(),
      jobs: 1,
      electricityWei: '2',
    });
    assert.equal(byDay.get('2025-12-30')?.jobs, 1);
    assert.equal(byDay.get('2025-12-29')?.jobs, 1);
    assert.equal(byDay.get('2025-12-07')?.jobs, 1);
    assert.deepEqual(byDay.get('2026-01-01'), { day: '2026-01-01', earnedWei: '0', gasWei: '0', jobs: 0, electricityWei: null });
    assert.equal(e.todayWei, huge.toString());
    assert.equal(e.weekWei, (huge * 3n).toString(), 'today, yesterday and six days ago');
    assert.equal(e.monthWei, (huge * 5n).toString(), 'the payment before the 30 days is left out');
    assert.equal(e.electricityMonthWei, '42');

    // The same data in UTC: the early payment moves to the 4th.
    const utc = t.ledger.earnings({ chainId: 31337, provider: PROVIDER, now, tzOffsetMinutes: 0 });
    assert.equal(new Map(utc.days.map((d) => [d.day, d.jobs])).get('2026-01-04'), 2);
    assert.equal(utc.todayWei, '0');
    // West of UTC (UTC-5, offset 300): now is 07:00 local on the 5th.
    assert.equal(localDay(Date.UTC(2026, 0, 5, 4, 59), 300), '2026-01-04');
    assert.equal(localDay(Date.UTC(2026, 0, 5, 5, 0), 300), '2026-01-05');
    const none = t.ledger.earnings({ chainId: 5, provider: PROVIDER, now: now + DAY, tzOffsetMinutes: 300 });
    assert.equal(none.days.length, 30);
    assert.ok(none.days.every((d) => d.jobs === 0 && d.earnedWei === '0' && d.electricityWei === null));
    assert.equal(none.electricityMonthWei, null);
  } finally {
    await t.done();
  }
});
