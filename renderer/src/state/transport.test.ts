import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backoffDelay,
  createSocketConnection,
  pickConnection,
  socketUrl,
  takeToken,
  TOKEN_STORAGE_KEY,
  UNAUTHORIZED_CLOSE_CODE,
  type ConnectionState,
  type SocketLike,
  type Timers,
} from './transport.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code = 1000, reason = ''): void {
    this.serverClose(code, reason);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  reply(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

/** Timers the test fires by hand: no sleeping, no real time. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = next++;
      pending.set(id, { callback, ms });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    delays: () => [...pending.values()].map((entry) => entry.ms),
    fireAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const entry of due) entry.callback();
    },
  };
}

function setup() {
  const sockets: FakeSocket[] = [];
  const clock = manualTimers();
  const connection = createSocketConnection({
    url: 'ws://127.0.0.1:5000/api?token=t',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    timers: clock.timers,
  });
  const states: ConnectionState[] = [];
  connection.onStateChange((state) => states.push(state));
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket was created');
    return socket;
  };
  return { connection, sockets, clock, states, last };
}

test('takeToken moves the token from the address bar into session storage', () => {
  const stored = new Map<string, string>();
  const storage = { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) };
  const replaced: string[] = [];
  const history = { state: null, replaceState: (_data: unknown, _unused: string, url: string) => void replaced.push(url) };

  assert.equal(takeToken('http://127.0.0.1:5000/?token=abc%2B1&x=2#/settings', storage, history), 'abc+1');
  assert.equal(stored.get(TOKEN_STORAGE_KEY), 'abc+1');
  assert.deepEqual(replaced, ['/?x=2#/settings']);

  // A reload has no token in the URL: the stored one is used and the URL is left alone.
  assert.equal(takeToken('http://127.0.0.1:5000/?x=2#/settings', storage, history), 'abc+1');
  assert.equal(replaced.length, 1);
  assert.equal(takeToken('http://127.0.0.1:5000/', null, history), null);
});

test('a page opened without a token shows the unauthorized screen and opens no socket', async () => {
  const opened: string[] = [];
  const realWebSocket = globalThis.WebSocket;
  globalThis.WebSocket = class {
    constructor(url: string) {
      opened.push(url);
      throw new Error('no socket may be opened without a token');
    }
  } as unknown as typeof WebSocket;
  try {
    const history = { state: null, replaceState: () => undefined };
    const win = { location: new URL('http://127.0.0.1:5000/#/settings'), history, sessionStorage: { getItem: () => null, setItem: () => undefined } };
    const connection = pickConnection(win as unknown as Window);
    assert.deepEqual([connection.kind, connection.state()], ['none', 'unauthorized']);
    const answer = await connection.transport.request('app:status', {});
    assert.equal(answer.ok, false);
    assert.match(answer.ok ? '' : answer.message, /hearth url/);
    assert.deepEqual(opened, []);
  } finally {
    globalThis.WebSocket = realWebSocket;
  }
});

test('socketUrl follows the page scheme and host and encodes the token', () => {
  assert.equal(socketUrl({ protocol: 'http:', host: '127.0.0.1:5000' }, 'a b'), 'ws://127.0.0.1:5000/api?token=a%20b');
  assert.equal(socketUrl({ protocol: 'https:', host: 'example.test' }, null), 'wss://example.test/api');
});

test('backoff doubles from the base and stops at the cap', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt)), [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
});

test('a call goes out as a JSON frame and its reply resolves it', async () => {
  const { connection, last } = setup();
  assert.equal(connection.state(), 'connecting');
  last().open();
  assert.equal(connection.state(), 'connected');
  const reply = connection.transport.request('app:status', {});
  const frame = JSON.parse(last().sent[0] ?? '{}') as { type: string; id: number; channel: string };
  assert.equal(frame.type, 'call');
  assert.equal(frame.channel, 'app:status');
  last().reply({ type: 'result', id: frame.id, envelope: { ok: true, value: 42 } });
  assert.deepEqual(await reply, { ok: true, value: 42 });
});

test('a dropped socket fails calls in flight, then reconnects with growing waits', async () => {
  const { connection, sockets, clock, states, last } = setup();
  last().open();
  const inFlight = connection.transport.request('settings:get', {});
  last().serverClose(1006);
  const failed = await inFlight;
  assert.equal(failed.ok, false);
  assert.equal(!failed.ok && failed.code, 'disconnected');
  assert.equal(connection.state(), 'reconnecting');
  assert.deepEqual(clock.delays(), [500]);

  clock.fireAll();
  assert.equal(sockets.length, 2);
  last().serverClose(1006); // the daemon is still down
  assert.deepEqual(clock.delays(), [1000]);

  clock.fireAll();
  last().open();
  assert.equal(connection.state(), 'connected');
  assert.deepEqual(states, ['connected', 'reconnecting', 'connected']);
  // Back to the shortest wait after a successful connection.
  last().serverClose(1006);
  assert.deepEqual(clock.delays(), [500]);
});

test('a 4401 close means a bad token: the page stops retrying and says so', () => {
  const { connection, clock, last } = setup();
  last().open();
  last().serverClose(UNAUTHORIZED_CLOSE_CODE, 'missing or wrong token');
  assert.equal(connection.state(), 'unauthorized');
  assert.deepEqual(clock.delays(), []);
  connection.retryNow();
  assert.equal(connection.state(), 'unauthorized');
});

test('retryNow skips the wait; close() ends the connection for good', () => {
  const { connection, sockets, clock, last } = setup();
  last().serverClose(1006);
  connection.retryNow();
  assert.equal(sockets.length, 2);
  assert.deepEqual(clock.delays(), []);
  last().open();
  connection.close();
  assert.equal(connection.state(), 'disconnected');
  assert.deepEqual(clock.delays(), []);
  assert.equal(sockets.length, 2);
});

test('frames that are not JSON are reported and dropped', () => {
  const bad: string[] = [];
  const socket = new FakeSocket('ws://x/api');
  const connection = createSocketConnection({ url: 'ws://x/api', createSocket: () => socket, timers: manualTimers().timers, onBadFrame: (reason) => bad.push(reason) });
  socket.open();
  socket.onmessage?.({ data: 'not json' });
  socket.onmessage?.({ data: JSON.stringify({ type: 'nonsense' }) });
  assert.equal(bad.length, 2);
  assert.equal(connection.state(), 'connected');
});
