import type { ClientTransport } from '../../../common/ipc/client.ts';
import type { Envelope } from '../../../common/ipc/define.ts';
import { RpcChannel } from '../../../common/ipc/rpc.ts';
import type { ClientMessage } from '../../../common/ipc/wire.ts';

declare global {
  interface Window {
    /** The Electron preload bridge; absent in a plain browser. */
    hearth?: ClientTransport;
  }
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'disconnected';

/** How the renderer reaches core, plus the state of that link. */
export interface Connection {
  readonly kind: 'bridge' | 'socket' | 'none';
  readonly transport: ClientTransport;
  state(): ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Skips the remaining backoff wait and tries to reconnect at once. */
  retryNow(): void;
  close(): void;
}

/** The daemon closes the socket with this code when the token is missing or wrong. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;
export const TOKEN_STORAGE_KEY = 'hearth.token';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

/** The part of the WebSocket API the connection uses (so tests can pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const SOCKET_OPEN = 1;

/** Delay before reconnect attempt `attempt` (0-based): doubling from `baseMs`, capped at `maxMs`. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 10_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
}

function stateEmitter(initial: ConnectionState) {
  let current = initial;
  const listeners = new Set<(state: ConnectionState) => void>();
  return {
    get: () => current,
    set(next: ConnectionState) {
      if (next === current) return;
      current = next;
      for (const listener of [...listeners]) listener(next);
    },
    on(listener: (state: ConnectionState) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The Electron preload bridge is always connected: it lives and dies with the window. */
export function createBridgeConnection(bridge: ClientTransport): Connection {
  return {
    kind: 'bridge',
    transport: bridge,
    state: () => 'connected',
    onStateChange: () => () => undefined,
    retryNow: () => undefined,
    close: () => undefined,
  };
}

/** A connection that will never work, e.g. the page was opened without its token. */
export function createRefusedConnection(state: 'unauthorized' | 'disconnected'): Connection {
  const refuse = (): Promise<Envelope> =>
    Promise.resolve({ ok: false, code: state, message: 'Hearth is not connected. Open its full address, with the token (`hearth url` prints it).' });
  return {
    kind: 'none',
    transport: { request: refuse, subscribe: () => () => undefined },
    state: () => state,
    onStateChange: () => () => undefined,
    retryNow: () => undefined,
    close: () => undefined,
  };
}

export interface SocketConnectionOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  timers?: Timers;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onBadFrame?: (reason: string) => void;
}

/**
 * JSON frames over a WebSocket to the daemon, matched to calls by RpcChannel. It
 * reconnects with capped exponential backoff, except after a 4401 close (bad token),
 * where retrying cannot help and the user has to open the daemon's URL again.
 */
export function createSocketConnection(options: SocketConnectionOptions): Connection {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const timers = options.timers ?? browserTimers;
  const onBadFrame = options.onBadFrame ?? (() => undefined);
  const state = stateEmitter('connecting');
  let socket: SocketLike | null = null;
  let attempt = 0;
  let retryTimer: unknown = null;
  let closedByUs = false;

  const rpc = new RpcChannel((message: ClientMessage) => {
    if (!socket || socket.readyState !== SOCKET_OPEN) throw new Error('socket not open');
    socket.send(JSON.stringify(message));
  }, onBadFrame);

  const connect = () => {
    retryTimer = null;
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      attempt = 0;
      state.set('connected');
    };
    current.onmessage = (event) => {
      if (socket !== current) return;
      if (typeof event.data !== 'string') {
        onBadFrame('binary frame from server');
        return;
      }
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        onBadFrame('frame from server is not JSON');
        return;
      }
      rpc.receive(frame);
    };
    current.onerror = () => undefined; // a close event always follows; it decides what to do
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      rpc.failPending();
      if (closedByUs) {
        state.set('disconnected');
      } else if (event.code === UNAUTHORIZED_CLOSE_CODE) {
        state.set('unauthorized');
      } else {
        state.set('reconnecting');
        retryTimer = timers.setTimeout(connect, backoffDelay(attempt++, options.baseDelayMs, options.maxDelayMs));
      }
    };
  };

  connect();

  return {
    kind: 'socket',
    transport: rpc,
    state: state.get,
    onStateChange: state.on,
    retryNow() {
      if (retryTimer === null) return;
      timers.clearTimeout(retryTimer);
      connect();
    },
    close() {
      closedByUs = true;
      if (retryTimer !== null) {
        timers.clearTimeout(retryTimer);
        retryTimer = null;
      }
      if (socket) socket.close(1000, 'closed by the page');
      else state.set('disconnected');
    },
  };
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

interface HistoryLike {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url: string): void;
}

/**
 * The daemon's token arrives once in `?token=`. It is kept in sessionStorage (this tab
 * only, gone when the tab closes) and removed from the address bar, so it does not
 * linger in history, bookmarks or screenshots.
 */
export function takeToken(href: string, storage: StorageLike | null, history: HistoryLike): string | null {
  const url = new URL(href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The daemon's WebSocket endpoint on the host that served the page. */
export function socketUrl(location: { protocol: string; host: string }, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/api${query}`;
}

function safeSessionStorage(win: Window): StorageLike | null {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}

/** Chooses how to reach core: the preload bridge in Electron, else the daemon's WebSocket. */
export function pickConnection(win: Window): Connection {
  const bridge = win.hearth;
  if (bridge && typeof bridge.request === 'function' && typeof bridge.subscribe === 'function') {
    return createBridgeConnection(bridge);
  }
  // Without a token there is nothing to try: the daemon accepts no other proof (never a
  // cookie, which would reach every other server on 127.0.0.1), so say what to open instead.
  const token = takeToken(win.location.href, safeSessionStorage(win), win.history);
  if (!token) return createRefusedConnection('unauthorized');
  return createSocketConnection({
    url: socketUrl(win.location, token),
    onBadFrame: (reason) => console.warn(`Hearth: ignored a ${reason}.`),
  });
}
