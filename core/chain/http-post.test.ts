import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDLE_SOCKET_MS, postJson } from './http-post.ts';

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('postJson sends the method, headers and body, and answers like fetch', async () => {
  const server = await serve((req, res, body) => {
    res.writeHead(req.headers['content-type'] === 'application/json' ? 200 : 415, { 'content-type': 'application/json', 'x-seen': req.method ?? '' });
    res.end(JSON.stringify({ echo: JSON.parse(body) as unknown }));
  });
  try {
    const response = await postJson(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 7 }) });
    assert.equal(response.status, 200);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('x-seen'), 'POST');
    assert.deepEqual(await response.json(), { echo: { id: 7 } });
    // A second call reuses the kept-alive connection and still gets its own answer.
    const again = await postJson(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":8}' });
    assert.deepEqual(await again.json(), { echo: { id: 8 } });
  } finally {
    await server.close();
  }
});

test('postJson passes error statuses and non-JSON bodies through, and rejects on abort and on a closed port', async () => {
  const server = await serve((req, res) => {
    if (req.url === '/hang') return; // accepts, never answers
    res.writeHead(503);
    res.end('<html>busy</html>');
  });
  try {
    const busy = await postJson(server.url, { method: 'POST', body: '{}' });
    assert.equal(busy.status, 503);
    assert.equal(busy.ok, false);
    await assert.rejects(busy.json());
    const abort = new AbortController();
    const hanging = postJson(`${server.url}hang`, { method: 'POST', body: '{}', signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(hanging, (error: Error) => error.name === 'AbortError');
    await assert.rejects(postJson(server.url, { method: 'POST', body: '{}', signal: AbortSignal.abort() }));
  } finally {
    await server.close();
  }
  await assert.rejects(postJson(server.url, { method: 'POST', body: '{}' }), /ECONNREFUSED/);
});

test('a burst of parallel calls does not leave its sockets open for good; a slow call is not cut', async () => {
  let open = 0;
  const server = await serve((req, res) => {
    // Held a little so the burst really runs in parallel (one socket each); /slow outlasts the idle timeout.
    setTimeout(() => res.end('{}'), req.url === '/slow' ? IDLE_SOCKET_MS + 1_500 : 100);
  });
  // Like Anvil, this server never closes an idle connection itself: only the client can.
  server.server.keepAliveTimeout = 0;
  server.server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
  });
  try {
    const slow = postJson(`${server.url}slow`, { method: 'POST', body: '{}' });
    const burst = await Promise.all(Array.from({ length: 20 }, () => postJson(server.url, { method: 'POST', body: '{}' })));
    assert.ok(burst.every((r) => r.status === 200));
    assert.ok(open >= 20, `${open} sockets for 20 parallel calls and a slow one`);
    assert.equal((await slow).status, 200, 'the slow call got its answer');
    // By now the burst's sockets have been idle for longer than IDLE_SOCKET_MS; only the slow call's is left.
    assert.equal(open, 1, 'the idle sockets closed');
  } finally {
    server.server.closeAllConnections();
    await server.close();
  }
});
