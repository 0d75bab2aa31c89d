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
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("the public UI");');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer folder');
  provider = await createProvider(testPorts(join(dir, 'data')), { devnet: 'off' });
  server = await startApiServer({ provider, token, logger: testPorts(dir).logger, rendererDir });
});
after(async () => {
  await server.close();
  await provider.stop();
  await cleanup();
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers, method }, (res) => {
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

/** Sends app:status at once and reports what came first: a served call, or the close code. */
async function firstAnswer(query: string, headers: Record<string, string>): Promise<string> {
  const { ws, closed } = await openSocket(query, headers);
  const answered = new Promise<string>((resolve) => ws.once('message', () => resolve('served a call')));
  ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'app:status', payload: {} }));
  const first = await Promise.race([answered, closed.then((code) => `closed ${code}`)]);
  ws.close();
  return first;
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

test('the page and its files are served without the token, with a strict CSP and never a cookie', async () => {
  for (const path of ['/', '/assets/app.js', `/?token=${token}`, '/?token=wrong']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(res.headers['set-cookie'], undefined, `${path}: the token must never become a cookie (cookies ignore ports)`);
  }
  assert.match((await get('/')).body, /<title>Hearth/);
  assert.equal((await get('/assets/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
  const head = await get('/', {}, 'HEAD');
  assert.deepEqual([head.status, head.body, head.headers['set-cookie']], [200, '', undefined]);
});

test('only GET and HEAD are answered', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
    const res = await get('/', {}, method);
    assert.equal(res.status, 405, method);
    assert.equal(res.headers['x-frame-options'], 'DENY', `${method}: the refusal carries the security headers`);
  }
});

test('a foreign Host header (DNS rebinding) is refused even with the token', async () => {
  assert.equal((await get('/', { host: 'evil.example:80' })).status, 421);
  assert.equal((await get(`/?token=${token}`, { host: 'evil.example:80' })).status, 421);
  assert.equal((await get('/assets/app.js', { host: `evil.example:${server.port}` })).status, 421);
});

test('paths that escape the renderer folder are refused', async () => {
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00', `/..%2fsecret.txt?token=${token}`]) {
    const res = await get(path);
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

test('a hearth_token cookie, even with the right token, does not open the API', async () => {
  // Any server on another 127.0.0.1 port can set cookies for 127.0.0.1, and would receive ours.
  for (const cookie of [`hearth_token=${token}`, `hearth_token=${encodeURIComponent(token)}; other=1`]) {
    for (const origin of [undefined, `http://127.0.0.1:${server.port}`]) {
      assert.equal(await firstAnswer('', origin ? { cookie, origin } : { cookie }), `closed ${CLOSE_UNAUTHORIZED}`, `${cookie} from ${origin ?? 'no origin'}`);
    }
  }
  // A wrong query token is not rescued by a right cookie either.
  assert.equal(await firstAnswer('?token=wrong', { cookie: `hearth_token=${token}` }), `closed ${CLOSE_UNAUTHORIZED}`);
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
