import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeClock } from '../scheduler/test-support.ts';
import { createChainClock } from './chain-clock.ts';

const DAY = 86_400_000;

test('chain time follows the blocks and monotonic time, not a wall clock stepped a day either way', async () => {
  const fake = createFakeClock();
  const chain = createChainClock(fake.clock, fake.monotonic);
  assert.equal(chain.now(false), fake.clock.now(), 'the wall clock until a block is seen');
  const block = Math.floor(fake.clock.now() / 1000);
  chain.observe(block);
  await fake.advance(10_000);
  assert.equal(chain.now(false), block * 1000 + 10_000);
  for (const step of [DAY, -2 * DAY, -3_600_000]) {
    fake.jump(step);
    assert.equal(chain.now(false), block * 1000 + 10_000, `a remote chain ignores a step of ${step / 3_600_000} h`);
  }
  await fake.advance(5000);
  assert.equal(chain.now(false), block * 1000 + 15_000);
  chain.observe(Number.NaN); // a broken answer changes nothing
  assert.equal(chain.now(false), block * 1000 + 15_000);
});

test('on the local devnet chain time is this machine\'s clock, never before the latest block', () => {
  const fake = createFakeClock();
  const chain = createChainClock(fake.clock, fake.monotonic);
  const block = Math.floor(fake.clock.now() / 1000);
  chain.observe(block);
  fake.jump(DAY);
  assert.equal(chain.now(true), fake.clock.now(), 'forward: the devnet stamps its next block with it too');
  fake.jump(-2 * DAY);
  assert.equal(chain.now(true), block * 1000, 'back: the devnet does not go back before its latest block');
});
