/** A real HTTP server on 127.0.0.1 for the market's fetch and delivery tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TestServer {
  /** http://127.0.0.1:port */
  url: string;
  port: number;
  /** Paths requested so far, in order. */
  requests: { method: string; path: string; body: string }[];
  /** Resolves when the next connection to this path's request closes. */
  closed(path: string): Promise<{ bytesWritten: number }>;
  stop(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const sockets = new Set<Socket>();
  const waiters = new Map<string, (info: { bytesWritten: number }) => void>();
  const closedInfo = new Map<string, { bytesWritten: number }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, body });
      res.on('close', () => {
        const info = { bytesWritten: req.socket.bytesWritten };
        const w = waiters.get(path);
        if (w) w(info);
        else closedInfo.set(path, info);
      });
      handler(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    closed(path) {
      const known = closedInfo.get(path);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => waiters.set(path, resolve));
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
