import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES, type ServerMessage } from '../common/ipc/wire.ts';
import { serveFrame } from '../common/ipc/server-session.ts';
import { createCaller } from '../common/ipc/caller.ts';
import type { Logger } from '../core/ports.ts';
import type { Provider } from '../core/provider.ts';
import { readStatic } from './static-files.ts';
import { tokenMatches } from './token.ts';

export interface ApiServerOptions {
  provider: Provider;
  token: string;
  logger: Logger;
  /** 0 picks a free port. */
  port?: number;
  /** Built renderer to serve; omitted when only the API is wanted (the desktop app's CLI socket). */
  rendererDir?: string;
}

export interface ApiServer {
  port: number;
  close(): Promise<void>;
}

/** Close code the renderer shows as "wrong or missing token". */
export const CLOSE_UNAUTHORIZED = 4401;

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Text of a ws message, whichever buffer shape ws delivered it in. */
export function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** On every answer, refusals included: nothing here may be framed, sniffed or leak its address. */
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/**
 * The request target as a URL, or null when it is not a plain path: `//host/…`, absolute
 * and asterisk forms, or anything `URL` cannot parse. Parsing against a fixed origin keeps
 * the host out of the caller's hands.
 */
export function requestUrl(target: string | undefined): URL | null {
  const path = target ?? '/';
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  try {
    return new URL(`http://127.0.0.1${path}`);
  } catch {
    return null;
  }
}

/**
 * Serves the renderer and the contract over WebSocket on 127.0.0.1 only. Every request must
 * come for our own host name (no DNS rebinding). The renderer's files are the public UI and
 * are served to anyone who gets that far; the API socket also needs this run's token in its
 * query and, from a browser, our own origin. The token is never a cookie: cookies ignore
 * ports, so one set here would be sent to every other server on 127.0.0.1.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { provider, token, logger } = options;
  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const refuse = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${text}\n`);
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'Hearth only answers on its own loopback address.');
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
      const url = requestUrl(req.url);
      if (!url) return refuse(res, 400, 'Bad request: ask for a path such as /.');
      if (!options.rendererDir) return refuse(res, 404, 'This Hearth instance serves only its API.');
      const file = await readStatic(options.rendererDir, url.pathname);
      if (file.status !== 200) {
        if (url.pathname === '/' && file.status === 404) {
          return refuse(res, 503, 'The Hearth UI is not built yet. Run `npm run build` (npm start does it for you).');
        }
        return refuse(res, file.status, file.status === 404 ? 'Not found.' : 'Bad request.');
      }
      res.writeHead(200, {
        'content-type': file.type,
        ...SECURITY_HEADERS,
        'cache-control': file.type.startsWith('text/html') ? 'no-store' : 'private, max-age=300',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    })().catch((error: unknown) => {
      logger.error('http request failed', { error: String(error) });
      if (!res.headersSent) refuse(res, 500, 'Hearth could not answer this request.');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    // A peer that resets mid-handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req.url);
    const origin = req.headers.origin;
    const hostOk = allowedHosts().has(req.headers.host ?? '');
    // Browsers always send Origin; the CLI (a plain WebSocket client) sends none and relies on the token.
    const originOk = origin === undefined || allowedOrigins().has(origin);
    if (url?.pathname !== '/api' || !hostOk || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    // Only the query counts: no cookie, no header a page on another port could have planted.
    const authorized = tokenMatches(token, url.searchParams.get('token'));
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws reports a bad frame (too long, invalid UTF-8, unmasked, bad opcode or close code)
      // as an 'error' on the socket, then closes it: without a listener that ends the process.
      ws.on('error', (error) => {
        logger.warn('closed a socket that sent a malformed frame', { reason: error.message });
        ws.terminate();
      });
      if (!authorized) {
        // Upgraded only to say why: a browser cannot read a refused handshake's status, and
        // the page stops retrying on this close code. Nothing sent on it is read.
        ws.close(CLOSE_UNAUTHORIZED, 'missing or wrong token');
        return;
      }
      sockets.add(ws);
      const send = (message: ServerMessage): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      };
      // This socket as core sees it: per-client events (console output) go to it alone.
      const caller = createCaller('ws', (channel, payload) => send({ type: 'event', channel, payload }));
      ws.on('message', (data, isBinary) => {
        let frame: unknown;
        try {
          frame = isBinary ? undefined : JSON.parse(rawText(data));
        } catch {
          frame = undefined;
        }
        serveFrame(frame, (channel, payload) => provider.dispatch(channel, payload, caller), send, (reason) => logger.warn('refused a frame', { reason }));
      });
      ws.on('close', () => {
        sockets.delete(ws);
        caller.close();
      });
    });
  });

  const unsubscribe = provider.onEvent((channel, payload) => {
    const text = JSON.stringify({ type: 'event', channel, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.close(1001, 'Hearth is shutting down');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
