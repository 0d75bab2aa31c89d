import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createFakeClock } from '../scheduler/test-support.ts';
import { BodyError, readBody } from './read-body.ts';

function request(headers: Record<string, string> = {}): IncomingMessage & EventEmitter {
  const req = new EventEmitter() as IncomingMessage & EventEmitter;
  Object.assign(req, { headers, pause: () => req });
  return req;
}

test('a trickling body times out on the clock, not before', async () => {
  const fake = createFakeClock();
  const req = request();
  let settled = false;
  const reading = readBody(req, 100, 30_000, fake.clock).finally(() => (settled = true));
  req.emit('data', Buffer.from('{"ver'));
  await fake.advance(29_999);
  assert.equal(settled, false, 'still waiting one millisecond before the limit');
  await fake.advance(1);
  await assert.rejects(reading, (e: unknown) => e instanceof BodyError && e.status === 408);
});

test('a complete body resolves and cancels its timer; an oversize one is refused', async () => {
  const fake = createFakeClock();
  const req = request();
  const reading = readBody(req, 10, 1_000, fake.clock);
  req.emit('data', Buffer.from('abc'));
  req.emit('data', Buffer.from('de'));
  req.emit('end');
  assert.equal((await reading).toString(), 'abcde');
  await fake.advance(5_000); // the cleared timer must not fire into a settled promise

  const big = request();
  const refused = readBody(big, 4, 1_000, fake.clock);
  big.emit('data', Buffer.from('12345'));
  await assert.rejects(refused, (e: unknown) => e instanceof BodyError && e.status === 413);
  await assert.rejects(readBody(request({ 'content-length': '99' }), 4, 1_000, fake.clock), (e: unknown) => e instanceof BodyError && e.status === 413);
});
