import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { call, type Handlers } from './define.ts';
import { createDispatcher } from './dispatch.ts';
import { createClient } from './client.ts';
import { createMemoryPair } from './memory-transport.ts';
import { HearthError } from '../errors.ts';
import { clientMessage } from './wire.ts';

// A small contract of its own, so these tests pin dispatch() rather than today's calls.
const testContract = {
  calls: {
    'counter:add': call(z.object({ by: z.number().int().min(1).max(10) }).strict(), z.object({ total: z.number() })),
    'counter:fail': call(z.object({ kind: z.enum(['known', 'unknown']) }), z.object({})),
    'counter:lie': call(z.object({}), z.object({ total: z.number() })),
  },
  events: { 'counter:changed': z.object({ total: z.number() }) },
};

function setup() {
  let total = 0;
  const handlers: Handlers<typeof testContract> = {
    'counter:add': ({ by }) => ({ total: (total += by) }),
    'counter:fail': ({ kind }) => {
      if (kind === 'known') throw new HearthError('counter_full', 'The counter is full. Reset it first.');
      throw new Error('secret internal detail /home/user/.key');
    },
    'counter:lie': () => ({ total: 'not a number' }) as unknown as { total: number },
  };
  const internal: string[] = [];
  const dispatch = createDispatcher(testContract, handlers, { onInternalError: (channel) => internal.push(channel) });
  return { dispatch, internal, total: () => total };
}

test('a valid call round-trips through the in-memory transport and the typed client', async () => {
  const { dispatch, total } = setup();
  const pair = createMemoryPair(dispatch);
  const client = createClient(testContract, pair.client);
  assert.deepEqual(await client.call('counter:add', { by: 3 }), { total: 3 });
  assert.deepEqual(await client.call('counter:add', { by: 2 }), { total: 5 });
  assert.equal(total(), 5);
});

test('bad input is refused with bad_input, a readable message, and no state change', async () => {
  const { dispatch, total } = setup();
  for (const payload of [{ by: 0 }, { by: 'x' }, { by: 1, extra: true }, null, 'text', { by: 11 }]) {
    const reply = await dispatch('counter:add', payload);
    assert.equal(reply.ok, false);
    if (!reply.ok) {
      assert.equal(reply.code, 'bad_input');
      assert.match(reply.message, /^Invalid input for counter:add: /);
    }
  }
  assert.equal(total(), 0);
});

test('a refusal does not echo a huge key or path back: each part is clipped (found by the contract fuzzer)', async () => {
  const { dispatch } = setup();
  const key = 'k'.repeat(10_000);
  const reply = await dispatch('counter:add', { by: 1, [key]: true });
  assert.equal(reply.ok ? 'ok' : reply.code, 'bad_input');
  if (!reply.ok) {
    assert.ok(reply.message.length < 400, `message is ${reply.message.length} characters`);
    assert.match(reply.message, /^Invalid input for counter:add: Unrecognized key: "kkk+…/);
  }
});

test('a call frame with no payload key is still a call, so its id is answered (found by the contract fuzzer)', () => {
  // JSON.stringify drops `payload: undefined`; the daemon used to drop the whole frame and the caller waited forever.
  const frame = clientMessage.safeParse(JSON.parse(JSON.stringify({ type: 'call', id: 4, channel: 'app:status', payload: undefined })));
  assert.ok(frame.success);
  assert.equal(frame.data.payload, undefined);
});

test('unknown channels, including prototype names, are refused', async () => {
  const { dispatch } = setup();
  for (const channel of ['counter:nope', '__proto__', 'constructor', 42, undefined]) {
    const reply = await dispatch(channel, {});
    assert.deepEqual(reply.ok ? 'ok' : reply.code, 'unknown_channel');
  }
});

test('a HearthError keeps its code and sentence; other errors are hidden behind internal', async () => {
  const { dispatch, internal } = setup();
  assert.deepEqual(await dispatch('counter:fail', { kind: 'known' }), {
    ok: false,
    code: 'counter_full',
    message: 'The counter is full. Reset it first.',
  });
  const hidden = await dispatch('counter:fail', { kind: 'unknown' });
  assert.equal(hidden.ok, false);
  if (!hidden.ok) {
    assert.equal(hidden.code, 'internal');
    assert.doesNotMatch(hidden.message, /secret|\.key/);
  }
  assert.deepEqual(internal, ['counter:fail']);
});

test('an answer that breaks the output schema never reaches the caller', async () => {
  const { dispatch, internal } = setup();
  const reply = await dispatch('counter:lie', {});
  assert.equal(reply.ok ? 'ok' : reply.code, 'bad_output');
  assert.deepEqual(internal, ['counter:lie']);
});

test('the client throws a HearthError carrying the code, and filters events by schema', async () => {
  const { dispatch } = setup();
  const pair = createMemoryPair(dispatch);
  const client = createClient(testContract, pair.client);
  await assert.rejects(client.call('counter:fail', { kind: 'known' }), (error: unknown) => {
    assert.ok(error instanceof HearthError);
    assert.equal(error.code, 'counter_full');
    return true;
  });
  const seen: number[] = [];
  client.on('counter:changed', (payload) => seen.push(payload.total));
  pair.emit('counter:changed', { total: 7 });
  pair.emit('counter:changed', { total: 'bad' });
  pair.emit('other:event', { total: 9 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(seen, [7]);
});
