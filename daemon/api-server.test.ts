import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createProvider, type Provider } from '../core/provider.ts';
import { tempDir, testPorts } from '../core/test-support.ts';
import { startApiServer, CLOSE_UNAUTHORIZED, type ApiServer } from './api-server.ts';
import { newToken } from './token.ts';

let dir: string;
let cleanup: () => Promise<void>;
let provider: Provider;
let server: ApiServer;
const token = newToken();

before(async () => {
  ({ dir, cleanup } = await tempDir());
  const rendererDir = join(dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer folder');
  provider = await createProvider(testPorts(join(dir, 'data')), { devnet: 'off' });
  server = await startApiServer({ provider, token, logger: testPorts(dir).logger, rendererDir });
});
after(async () => {
  await server.close();
  await provider.stop();
  await cleanup();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function callOver(ws: WebSocket, id: number, channel: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = JSON.parse(data.toString()) as { type: string; id?: number };
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
  });
}

test('the page needs the token; with it, the page is served with a strict CSP and an HttpOnly cookie', async () => {
  assert.equal((await get('/')).status, 401);
  assert.equal((await get('/?token=wrong')).status, 401);
  const ok = await get(`/?token=${token}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /<title>Hearth/);
  assert.match(String(ok.headers['content-security-policy']), /default-src 'self'/);
  assert.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  assert.equal((await get('/', { cookie: `hearth_token=${token}` })).status, 200, 'the cookie stands in for the query');
});

test('a foreign Host header (DNS rebinding) is refused even with the token', async () => {
  assert.equal((await get(`/?token=${token}`, { host: 'evil.example:80' })).status, 421);
});

test('paths that escape the renderer folder are refused', async () => {
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00']) {
    const res = await get(`${path}${path.includes('?') ? '&' : '?'}token=${token}`);
    assert.ok(res.status === 400 || res.status === 404, `${path} gave ${res.status}`);
    assert.doesNotMatch(res.body, /outside the renderer/);
  }
});

test('a socket without the right token is closed with 4401 before any call is served', async () => {
  for (const query of ['', '?token=', '?token=wrong']) {
    const { ws, closed } = await openSocket(query);
    ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'app:status', payload: {} }));
    let answered = false;
    ws.on('message', () => (answered = true));
    assert.equal(await closed, CLOSE_UNAUTHORIZED);
    assert.equal(answered, false);
  }
});

test('a socket from another origin is refused at the handshake', async () => {
  await assert.rejects(openSocket(`?token=${token}`, { origin: 'https://evil.example' }), /HTTP 403/);
  const { ws } = await openSocket(`?token=${token}`, { origin: `http://127.0.0.1:${server.port}` });
  ws.close();
});

test('with the token, calls round-trip, bad input is refused and malformed frames are ignored', async () => {
  const { ws } = await openSocket(`?token=${token}`);
  try {
    const status = (await callOver(ws, 1, 'app:status', {})) as { envelope: { ok: boolean; value: { name: string; shell: string } } };
    assert.equal(status.envelope.ok, true);
    assert.equal(status.envelope.value.name, 'Hearth');
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'call', id: -1, channel: 'app:status' }));
    const bad = (await callOver(ws, 2, 'settings:update', { general: { theme: 'neon' } })) as { envelope: { ok: boolean; code: string } };
    assert.deepEqual([bad.envelope.ok, bad.envelope.code], [false, 'bad_input']);
    const settings = (await callOver(ws, 3, 'settings:get', {})) as { envelope: { value: { general: { theme: string } } } };
    assert.equal(settings.envelope.value.general.theme, 'system', 'the refused update changed nothing');
  } finally {
    ws.close();
  }
});

test('events reach connected sockets', async () => {
  const { ws } = await openSocket(`?token=${token}`);
  try {
    const event = new Promise<{ channel: string; payload: { general: { theme: string } } }>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; channel: string; payload: { general: { theme: string } } };
        if (message.type === 'event') resolve(message);
      }),
    );
    await callOver(ws, 1, 'settings:update', { general: { theme: 'dark' } });
    const got = await event;
    assert.equal(got.channel, 'settings:changed');
    assert.equal(got.payload.general.theme, 'dark');
  } finally {
    ws.close();
  }
});
