import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPacer, marketAnnouncement, schedulerAnnouncement, walletAnnouncement } from './announcements.ts';

const paidJob = { id: 'j1', kind: 'paid' as const, label: 'paddleocr-det', startedAt: 0, deviceId: null };
const practiceJob = { ...paidJob, id: 'p1', kind: 'practice' as const, label: 'warm-up' };

test('scheduler: earning started, paused and resumed are said; the rest stays quiet', () => {
  assert.equal(schedulerAnnouncement(null, { state: 'running', job: paidJob }), null, 'the first status is a baseline');
  assert.equal(schedulerAnnouncement({ state: 'waiting', job: null }, { state: 'running', job: paidJob }), 'Earning: running a paid job, paddleocr-det.');
  // A paid job taking over from practice work, or following another paid job, is news too.
  assert.equal(schedulerAnnouncement({ state: 'running', job: practiceJob }, { state: 'running', job: paidJob }), 'Earning: running a paid job, paddleocr-det.');
  assert.equal(schedulerAnnouncement({ state: 'running', job: paidJob }, { state: 'running', job: { ...paidJob, id: 'j2' } }), 'Earning: running a paid job, paddleocr-det.');
  assert.equal(schedulerAnnouncement({ state: 'running', job: paidJob }, { state: 'paused', job: null }), 'Earning paused.');
  assert.equal(schedulerAnnouncement({ state: 'paused', job: null }, { state: 'waiting', job: null }), 'Earning resumed.');
  assert.equal(schedulerAnnouncement({ state: 'paused', job: null }, { state: 'running', job: paidJob }), 'Earning resumed: running a paid job, paddleocr-det.');
  // Practice work earns nothing: not worth interrupting a screen reader for.
  assert.equal(schedulerAnnouncement({ state: 'ready', job: null }, { state: 'running', job: practiceJob }), null);
  // The same job again (a progress tick), and moves that are not news.
  assert.equal(schedulerAnnouncement({ state: 'running', job: paidJob }, { state: 'running', job: paidJob }), null);
  assert.equal(schedulerAnnouncement({ state: 'waiting', job: null }, { state: 'blocked', job: null }), null);
  assert.equal(schedulerAnnouncement({ state: 'running', job: paidJob }, { state: 'yielding', job: paidJob }), null);
  assert.equal(schedulerAnnouncement({ state: 'paused', job: null }, { state: 'paused', job: null }), null);
});

test('market: a payment is said with its amount, once per new payment', () => {
  const before = { jobsPaid: 3, earnedWei: '3000000000000000000' };
  assert.equal(marketAnnouncement(null, before), null);
  assert.equal(marketAnnouncement(before, { jobsPaid: 4, earnedWei: '4250000000000000000' }), 'Payment received: 1.25 HRTH for a job.');
  assert.equal(marketAnnouncement(before, { jobsPaid: 5, earnedWei: '5000000000000000000' }), 'Payment received: 2 HRTH for 2 jobs.');
  assert.equal(marketAnnouncement(before, before), null);
  // A restart that reads fewer jobs (another network) is not a payment.
  assert.equal(marketAnnouncement(before, { jobsPaid: 0, earnedWei: '0' }), null);
});

test('wallet: locking and unlocking are said; creating or removing a wallet is not a lock', () => {
  assert.equal(walletAnnouncement({ exists: true, locked: false }, { exists: true, locked: true }), 'Wallet locked.');
  assert.equal(walletAnnouncement({ exists: true, locked: true }, { exists: true, locked: false }), 'Wallet unlocked.');
  assert.equal(walletAnnouncement({ exists: false, locked: true }, { exists: true, locked: false }), null);
  assert.equal(walletAnnouncement(null, { exists: true, locked: true }), null);
});

test('the pacer says a burst once (its latest sentence) and never the same sentence twice in a row soon', () => {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock = {
    now: () => now,
    after(ms: number, fn: () => void) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t), 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  const said: string[] = [];
  const pacer = createPacer((text) => said.push(text), clock, 1500, 10_000);
  pacer.push('Earning paused.');
  assert.deepEqual(said, ['Earning paused.'], 'the first is said at once');
  pacer.push('Earning resumed.');
  pacer.push('Earning paused.');
  advance(1000);
  assert.deepEqual(said, ['Earning paused.'], 'a burst waits for the gap');
  advance(600);
  // The latest of the burst equals the last sentence said within 10 s: nothing new to say.
  assert.deepEqual(said, ['Earning paused.']);
  pacer.push('Wallet locked.');
  advance(1500);
  assert.deepEqual(said, ['Earning paused.', 'Wallet locked.']);
  advance(20_000);
  pacer.push('Wallet locked.');
  assert.deepEqual(said, ['Earning paused.', 'Wallet locked.', 'Wallet locked.'], 'the same news later is news again');
  pacer.push('Earning paused.');
  pacer.stop();
  advance(5000);
  assert.equal(said.length, 3, 'nothing is said after stop');
});
