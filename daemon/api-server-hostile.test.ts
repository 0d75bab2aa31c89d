// Hostile traffic at the daemon's HTTP and WebSocket edges, sent as raw bytes so nothing a
// well-behaved client library would refuse to send is left out. After each, the daemon
// must still be alive and answer a real call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createProvider, type Provider } from '../core/provider.ts';
import { tempDir, testPorts } from '../core/test-support.ts';
import { startApiServer, type ApiServer } from './api-server.ts';
import { newToken } from './token.ts';

let cleanup: () => Promise<void>;
let provider: Provider;
let server: ApiServer;
const token = newToken();
const warnings: string[] = [];

before(async () => {
  const made = await tempDir();
  cleanup = made.cleanup;
  provider = await createProvider(testPorts(join(made.dir, 'data')), { devnet: 'off' });
  const logger = { ...testPorts(made.dir).logger, warn: (message: string) => void warnings.push(message) };
  server = await startApiServer({ provider, token, logger });
});
after(async () => {
  await server.close();
  await provider.stop();
  await cleanup();
});

/** Writes raw bytes on a fresh connection and collects whatever comes back until it closes. */
function raw(chunks: Buffer[], waitMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
  });
}

const handshake = (path: string, extra = ''): Buffer =>
  Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  );

/** A client frame: masked unless told otherwise, with a 64-bit length when asked to claim one. */
function frame(opcode: number, payload: Buffer, options: { masked?: boolean; rsv?: number; claimLength?: bigint } = {}): Buffer {
  const masked = options.masked ?? true;
  const first = 0x80 | ((options.rsv ?? 0) << 4) | opcode;
  const length = options.claimLength ?? BigInt(payload.length);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | 126, 0, 0]);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

async function stillServes(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${token}`);
  const reply = await new Promise<{ ok: boolean }>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'app:status', payload: {} })));
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: number; envelope?: { ok: boolean } };
      if (message.type === 'result' && message.id === 1) resolve(message.envelope ?? { ok: false });
    });
  });
  ws.close();
  assert.equal(reply.ok, true, 'the daemon still answers app:status');
}

test('odd request targets get a clear refusal, never a crash or a 500', async () => {
  for (const target of ['//', '//evil.example/api', '/api/../..', 'http://127.0.0.1/api', '*']) {
    const answer = await raw([handshake(target)]);
    assert.match(answer, /^HTTP\/1\.1 (400|403|404)/, `upgrade to ${target}: ${answer.slice(0, 40)}`);
    const page = await raw([Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`)]);
    assert.doesNotMatch(page, /^HTTP\/1\.1 500/, `GET ${target}`);
  }
  await stillServes();
});

test('a hearth_token cookie is never read: malformed or right, it opens nothing and breaks nothing', async () => {
  // Pages on other 127.0.0.1 ports can plant cookies here; the daemon ignores every one.
  for (const cookie of ['hearth_token=%E0%A4%A', 'hearth_token=%', 'hearth_token=%zz; other=1', `hearth_token=${token}`]) {
    const answer = await raw([handshake('/api', `Cookie: ${cookie}\r\n`), frame(0x1, Buffer.from(JSON.stringify({ type: 'call', id: 1, channel: 'app:status', payload: {} })))]);
    assert.match(answer, /^HTTP\/1\.1 101/, `${cookie}: upgraded only to be told why`);
    // The server's close frame (0x88) with code 4401 (0x11 0x31), and no call answered.
    assert.ok(answer.includes('\x88') && answer.includes('\x11\x31'), `${cookie}: closed with 4401`);
    assert.doesNotMatch(answer, /"type":"result"/, `${cookie}: no call was served`);
    const page = await new Promise<{ status: number; setCookie: unknown }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { cookie } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] });
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(page.status, 404, 'this instance serves only its API');
    assert.equal(page.setCookie, undefined);
  }
  await stillServes();
});

test('malformed WebSocket frames, with and without the token, close that socket and nothing else', async () => {
  const hostile: [string, Buffer][] = [
    ['a frame announcing more than the size limit', frame(0x1, Buffer.alloc(0), { claimLength: 1n << 40n })],
    ['invalid UTF-8 text', frame(0x1, Buffer.from([0xc3, 0x28, 0xff]))],
    ['an unmasked client frame', frame(0x1, Buffer.from('{}'), { masked: false })],
    ['a reserved opcode', frame(0x3, Buffer.from('x'))],
    ['RSV bits without an extension', frame(0x1, Buffer.from('{}'), { rsv: 0b111 })],
    ['an invalid close code', frame(0x8, Buffer.from([0x03, 0xe7]))],
    ['a fragmented control frame', Buffer.from([0x09, 0x80, 1, 2, 3, 4])],
  ];
  for (const query of ['', `?token=${token}`]) {
    for (const [what, bytes] of hostile) {
      const before = warnings.length;
      const answer = await raw([handshake(`/api${query}`), bytes]);
      assert.match(answer, /^HTTP\/1\.1 101/, `${what}: the handshake itself is fine`);
      // Handled by the server (logged, socket closed), not left to crash the process.
      assert.ok(warnings.slice(before).includes('closed a socket that sent a malformed frame'), `${what}${query ? ' (with token)' : ''} is handled`);
    }
  }
  await stillServes();
});

test('refusals carry the same security headers as the page', async () => {
  for (const target of ['/', `/nope?token=${token}`, '//']) {
    const answer = await raw([Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`)]);
    assert.match(answer, /^HTTP\/1\.1 4\d\d/, target);
    for (const header of ['content-security-policy', 'x-content-type-options: nosniff', 'x-frame-options: DENY', 'referrer-policy: no-referrer']) {
      assert.ok(answer.toLowerCase().includes(header.toLowerCase()), `${target}: ${header}`);
    }
  }
});
