import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amountText, bpsText, checkAmount, delayText, exactText, healthLevel, percentText, releaseText, tokenToEthWei } from './format.ts';
import { timeAxisLabels } from './chart-data.ts';
import { tokens } from '../../test/market-fixtures.ts';

test('amounts: fewer places for big numbers, four significant digits for small ones, trimmed not rounded', () => {
  assert.equal(amountText(tokens('1483.373456789')), '1,483.37');
  assert.equal(amountText(tokens('200.123456789')), '200.1234');
  assert.equal(amountText(tokens('3.21875')), '3.2187');
  assert.equal(amountText(tokens('0.0031')), '0.0031');
  assert.equal(amountText('143210000000000'), '0.0001432');
  assert.equal(amountText('1'), '0.000000000000000001', 'one wei is still not zero');
  assert.equal(amountText('0'), '0');
  assert.equal(exactText(tokens('0.5'), 'ETH'), '0.5 ETH (500,000,000,000,000,000 wei)');
});

test('checkAmount says what is wrong before anything is sent', () => {
  assert.equal(checkAmount(''), 'Enter an amount.');
  assert.equal(checkAmount('   '), 'Enter an amount.');
  assert.equal(checkAmount('-1'), 'Enter an amount above zero: it cannot be negative.');
  assert.match(checkAmount('1e3') ?? '', /^Enter a number such as 1\.5/);
  assert.match(checkAmount('all') ?? '', /^Enter a number/);
  assert.equal(checkAmount('ALL', { allowAll: true }), null);
  assert.equal(checkAmount('0'), 'Enter an amount above zero.');
  assert.equal(checkAmount('0.' + '1'.repeat(19)), 'Use at most 18 decimal places.');
  assert.equal(checkAmount(' 12.5 '), null);
});

test('words for rates, delays, health and release times', () => {
  assert.equal(bpsText(2500), '25 %');
  assert.equal(bpsText(50), '0.5 %');
  assert.equal(delayText(7 * 86_400), '7 days');
  assert.equal(delayText(36 * 3600), '36 hours');
  assert.equal(delayText(600), '10 minutes');
  assert.deepEqual([null, 0.95, 1.1, 1.3, 2].map((f) => healthLevel(f).word), ['No debt', 'Can be liquidated', 'At risk', 'Watch', 'Safe']);
  const now = Date.UTC(2026, 0, 1);
  assert.equal(releaseText(now + 90 * 60_000, now).relative, 'in 1 h 30 min');
  assert.equal(releaseText(now - 1000, now).ready, true);
  assert.equal(tokenToEthWei(tokens('100'), tokens('0.0025')), tokens('0.25'));
});

test('the chart\'s time axis: days over a long span, times of day over a short one, never the same label twice for minutes apart', () => {
  const day = Date.UTC(2026, 10, 30, 8, 0, 0) / 1000;
  const long = timeAxisLabels([day, day + 5 * 86_400, day + 10 * 86_400]);
  assert.equal(new Set(long).size, 3);
  assert.ok(long.every((l) => !/:/.test(l)), `dates, not times: ${long.join(' | ')}`);
  const minutes = timeAxisLabels([day, day + 1800, day + 3600]);
  assert.equal(new Set(minutes).size, 3, minutes.join(' | '));
  assert.ok(minutes.every((l) => /\d:\d\d/.test(l)), `times of day: ${minutes.join(' | ')}`);
  const seconds = timeAxisLabels([day, day + 15, day + 30, day + 45]);
  assert.equal(new Set(seconds).size, 4, seconds.join(' | '));
});

test('percentText keeps two decimals, and two significant digits for a small non-zero rate instead of a false 0.00 %', () => {
    assert.equal(percentText(0.0417), '4.17 %');
    assert.equal(percentText(0), '0.00 %');
    assert.equal(percentText(0.0000025), '0.00025 %');
    assert.equal(percentText(0.1, 3), '10.000 %');
});
