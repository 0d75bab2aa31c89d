import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createFakeClock } from '../scheduler/test-support.ts';
import { createOutputFlow, type FlowOptions } from './flow.ts';

function setup(over: Partial<FlowOptions> = {}) {
  const fake = createFakeClock();
  const sent: { seq: number; data: string }[] = [];
  const source = { paused: false, pauses: 0 };
  const flow = createOutputFlow({
    clock: fake.clock,
    batchMs: 16,
    batchSize: 100,
    window: 400,
    maxBatchesInFlight: 8,
    send: (seq, data) => void sent.push({ seq, data }),
    pause: () => {
      source.paused = true;
      source.pauses += 1;
    },
    resume: () => void (source.paused = false),
    ...over,
  });
  return { fake, sent, source, flow };
}

test('small output waits for the batch interval and goes out as one numbered batch', async () => {
  const { fake, sent, flow } = setup();
  flow.push('ab');
  flow.push('cd');
  assert.deepEqual(sent, []);
  await fake.advance(15);
  assert.deepEqual(sent, []);
  await fake.advance(1);
  assert.deepEqual(sent, [{ seq: 1, data: 'abcd' }]);
});

test('a full batch goes at once; the window pauses the source and acks resume it', async () => {
  const { sent, source, flow } = setup();
  flow.push('x'.repeat(450));
  assert.deepEqual(sent.map((b) => b.data.length), [100, 100, 100, 100], 'four batches fill the 400 window');
  assert.equal(flow.stats().inFlight, 400);
  assert.equal(flow.stats().pending, 50);
  assert.equal(source.paused, true);
  assert.equal(flow.ack(2), true);
  assert.deepEqual(sent.map((b) => b.seq), [1, 2, 3, 4, 5]);
  assert.equal(sent[4]?.data.length, 50);
  assert.equal(flow.stats().inFlight, 250);
  assert.equal(source.paused, false, 'room again: the source reads on');
});

test('acks for batches not sent are refused; old acks are harmless', () => {
  const { flow } = setup();
  flow.push('y'.repeat(200));
  assert.equal(flow.ack(3), false);
  assert.equal(flow.stats().inFlight, 200, 'a refused ack frees nothing');
  assert.equal(flow.ack(1), true);
  assert.equal(flow.ack(1), true);
  assert.equal(flow.stats().inFlight, 100);
});

test('a trickle of tiny batches is bounded by the batch count too', async () => {
  const { fake, flow, source } = setup({ maxBatchesInFlight: 3 });
  for (let i = 0; i < 5; i += 1) {
    flow.push('z');
    await fake.advance(16);
  }
  assert.equal(flow.stats().batchesInFlight, 3);
  assert.equal(flow.stats().pending, 2);
  assert.equal(source.paused, true);
});

test('finish sends the rest as the window allows, then reports drained once', async () => {
  const { flow, sent } = setup();
  let drained = 0;
  flow.push('q'.repeat(500));
  flow.finish(() => (drained += 1));
  assert.equal(drained, 0, 'the last 100 wait for room');
  flow.ack(1);
  assert.equal(drained, 1);
  assert.equal(sent.reduce((n, b) => n + b.data.length, 0), 500);
});

test('a batch never ends in half a surrogate pair', () => {
  const { flow, sent } = setup({ batchSize: 3 });
  flow.push('ab😀cd');
  for (const batch of sent) assert.ok(!/[\ud800-\udbff]$/.test(batch.data), JSON.stringify(batch.data));
  assert.equal(sent.map((b) => b.data).join(''), 'ab😀cd');
});

test('whatever the pushes and acks, in-flight output never exceeds the window and nothing is lost or reordered', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 300 }) }), fc.record({ ack: fc.integer({ min: 0, max: 4 }) }), fc.record({ wait: fc.integer({ min: 0, max: 40 }) })), { maxLength: 60 }),
      async (steps) => {
        const { fake, flow, sent } = setup();
        let written = '';
        let n = 0;
        for (const step of steps) {
          if ('push' in step) {
            const chunk = String.fromCharCode(97 + (n++ % 26)).repeat(step.push);
            written += chunk;
            flow.push(chunk);
          } else if ('ack' in step) flow.ack(Math.max(1, flow.stats().lastSeq - step.ack));
          else await fake.advance(step.wait);
          assert.ok(flow.stats().inFlight <= 400);
        }
        // Drain: ack everything until the source is empty.
        for (let i = 0; i < 100 && (flow.stats().pending > 0 || flow.stats().inFlight > 0); i += 1) {
          await fake.advance(16);
          if (flow.stats().lastSeq > 0) flow.ack(flow.stats().lastSeq);
        }
        assert.equal(sent.map((b) => b.data).join(''), written);
        assert.deepEqual(sent.map((b) => b.seq), sent.map((_, i) => i + 1));
      },
    ),
    { numRuns: 150 },
  );
});
