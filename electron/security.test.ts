import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAllowedExternalUrl, isAppUrl, isTrustedSender, APP_ORIGIN } from './security.ts';
import { bindIpc, type IpcMainLike } from './ipc-binding.ts';
import { serveAppRequest } from './app-protocol.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.ts';
import type { Provider } from '../core/provider.ts';
import type { Envelope } from '../common/ipc/define.ts';

test('only https links to allowlisted hosts may open externally', () => {
  assert.equal(isAllowedExternalUrl('https://github.com/hearth'), true);
  for (const url of ['http://github.com/', 'https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@github.com/', 'not a url', 'https://github.com.evil.example/']) {
    assert.equal(isAllowedExternalUrl(url), false, url);
  }
});

test('the app origin is recognised exactly', () => {
  assert.equal(isAppUrl(`${APP_ORIGIN}/index.html`), true);
  for (const url of ['app://other/index.html', 'https://hearth/', 'http://127.0.0.1/', 'garbage']) assert.equal(isAppUrl(url), false, url);
});

test('IPC is served only to the app top frame', () => {
  assert.equal(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null }), true);
  assert.equal(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} }), false, 'an iframe, even of our origin');
  assert.equal(isTrustedSender({ url: 'https://evil.example/', parent: null }), false);
  assert.equal(isTrustedSender(null), false, 'a frame already gone');
});

function fakeIpc() {
  const handlers = new Map<string, (event: { senderFrame: { url: string; parent: unknown } | null }, ...args: unknown[]) => Promise<Envelope>>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipc, handlers };
}

test('the IPC binding refuses untrusted senders before dispatch and forwards events', async () => {
  const dispatched: unknown[] = [];
  let emit: Parameters<Provider['onEvent']>[0] | undefined;
  const provider: Provider = {
    dispatch: (channel, payload) => {
      dispatched.push([channel, payload]);
      return Promise.resolve({ ok: true, value: 'done' });
    },
    onEvent: (listener) => {
      emit = listener;
      return () => (emit = undefined);
    },
    stop: () => Promise.resolve(),
  };
  const { ipc, handlers } = fakeIpc();
  const sent: unknown[][] = [];
  const unbind = bindIpc(ipc, provider, () => ({ isDestroyed: () => false, send: (...args) => void sent.push(args) }));
  const handler = handlers.get(CALL_CHANNEL)!;
  const refused = await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'app:status', {});
  assert.deepEqual(refused.ok ? 'ok' : refused.code, 'forbidden');
  const iframe = await handler({ senderFrame: { url: `${APP_ORIGIN}/`, parent: {} } }, 'app:status', {});
  assert.deepEqual(iframe.ok ? 'ok' : iframe.code, 'forbidden');
  assert.deepEqual(dispatched, [], 'nothing untrusted reached dispatch');
  const allowed = await handler({ senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, 'app:status', {});
  assert.deepEqual(allowed, { ok: true, value: 'done' });
  emit!('settings:changed', { x: 1 });
  assert.deepEqual(sent, [[EVENT_CHANNEL, 'settings:changed', { x: 1 }]]);
  unbind();
  assert.equal(handlers.size, 0);
  assert.equal(emit, undefined);
});

test('app:// serves the renderer and refuses traversal and foreign hosts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-app-'));
  try {
    await mkdir(join(dir, 'renderer'));
    await writeFile(join(dir, 'renderer', 'index.html'), '<title>Hearth</title>');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    const ok = await serveAppRequest(join(dir, 'renderer'), `${APP_ORIGIN}/index.html`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    for (const url of [`${APP_ORIGIN}/..%2fsecret.txt`, `${APP_ORIGIN}/%2e%2e/secret.txt`, 'app://other/index.html']) {
      const res = await serveAppRequest(join(dir, 'renderer'), url);
      assert.notEqual(res.status, 200, url);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
