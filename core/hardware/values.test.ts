import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inRange, isMissing, mib, normalizeBusId, num, text } from './values.ts';

test('every spelling of a missing value is missing', () => {
  for (const s of ['N/A', '[N/A]', '[Not Supported]', 'Not Supported', '[Requested functionality has been deprecated]', '', '  ', 'N/A (Secondary die)', '[Unknown Error]']) {
    assert.equal(isMissing(s), true, s);
    assert.equal(num(s), null, s);
    assert.equal(text(s), null, s);
  }
  assert.equal(isMissing('0'), false);
  assert.equal(isMissing('Graphics Device'), false);
});

test('numbers come out of cells with units', () => {
  assert.equal(num('8192 MiB'), 8192);
  assert.equal(num('71.15 W'), 71.15);
  assert.equal(num('35 %'), 35);
  assert.equal(num('(500Mhz)'), 500);
  assert.equal(num('45 C'), 45);
  assert.equal(num('12'), 12);
  assert.equal(num('abc'), null);
  assert.equal(num('1, 2'), null);
  assert.equal(mib('8 GiB'), 8192);
  assert.equal(mib('1024 KiB'), 1);
  assert.equal(mib('2048'), 2048);
});

test('bus ids from every tool normalise to one form', () => {
  assert.equal(normalizeBusId('00000000:01:00.0'), '00000000:01:00.0');
  assert.equal(normalizeBusId('0000:7c:00.0'), '00000000:7C:00.0');
  assert.equal(normalizeBusId('01:00.0'), '00000000:01:00.0');
  assert.equal(normalizeBusId('[N/A]'), null);
});

test('out-of-range readings are dropped, not clamped', () => {
  assert.equal(inRange(101, 0, 100), null);
  assert.equal(inRange(55, 0, 100), 55);
  assert.equal(inRange(null, 0, 100), null);
});
