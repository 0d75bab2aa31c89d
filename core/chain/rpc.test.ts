import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../ports.ts';
import { RpcError, createRpcClient } from './rpc.ts';

/** Timers fire at once: backoff is exercised without waiting. */
const instant: Clock = {
  now: () => 0,
  setTimeout: (fn) => {
    queueMicrotask(fn);
    return { id: 0 };
  },
  clearTimeout: () => undefined,
  setInterval: () => ({ id: 0 }),
  clearInterval: () => undefined,
};

function fakeFetch(behaviour: Record<string, (count: number) => Response | Error>) {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  const impl = (async (url: string | URL | Request) => {
    const key = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
    calls.push(key);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    const result = behaviour[key]!(n);
    if (result instanceof Error) throw result;
    return result;
  }) as typeof fetch;
  return { impl, calls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test('falls back to the next URL on network errors and sticks to the one that works', async () => {
  const { impl, calls } = fakeFetch({
    'http://a': () => new TypeError('fetch failed'),
    'http://b': () => json({ jsonrpc: '2.0', id: 1, result: '0x10' }),
  });
  const rpc = createRpcClient({ urls: ['http://a', 'http://b'], clock: instant, fetchImpl: impl });
  assert.equal(await rpc.request('eth_blockNumber'), '0x10');
  assert.equal(await rpc.request('eth_blockNumber'), '0x10');
  assert.deepEqual(calls, ['http://a', 'http://b', 'http://b']);
});

test('retries 429/5xx and rate-limit replies, then gives up with rpc_unreachable', async () => {
  const { impl, calls } = fakeFetch({
    'http://a': (n) => (n < 3 ? json({}, 503) : json({ jsonrpc: '2.0', id: 1, result: '0x1' })),
  });
  const rpc = createRpcClient({ urls: ['http://a'], clock: instant, fetchImpl: impl, rounds: 3 });
  assert.equal(await rpc.request('eth_chainId'), '0x1');
  assert.equal(calls.length, 3);

  const limited = fakeFetch({ 'http://a': () => json({ jsonrpc: '2.0', id: 1, error: { code: -32005, message: 'limit exceeded' } }) });
  const busy = createRpcClient({ urls: ['http://a'], clock: instant, fetchImpl: limited.impl, rounds: 2 });
  await assert.rejects(busy.request('eth_chainId'), (error: { code?: string }) => error.code === 'rpc_unreachable');
  assert.equal(limited.calls.length, 2);
});

test('JSON-RPC errors are answers: thrown at once, not retried', async () => {
  const { impl, calls } = fakeFetch({
    'http://a': () => json({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'nonce too low' } }),
    'http://b': () => json({ jsonrpc: '2.0', id: 1, result: '0x1' }),
  });
  const rpc = createRpcClient({ urls: ['http://a', 'http://b'], clock: instant, fetchImpl: impl });
  await assert.rejects(rpc.request('eth_sendRawTransaction', ['0x']), (error) => error instanceof RpcError && /nonce too low/.test(error.message));
  assert.deepEqual(calls, ['http://a']);
});
