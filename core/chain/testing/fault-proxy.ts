/**
 * A JSON-RPC proxy for tests that can turn hostile at run time: it sits between Hearth and a
 * real node and either forwards faithfully or answers the way a broken or malicious RPC
 * does (no answer at all, a dropped connection, HTML, half a body, the wrong types, block
 * numbers running backwards, an endless body). Switch with `setMode` while Hearth runs.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode =
  /** Forward to the node and return its answer unchanged. */
  | 'pass'
  /** Accept the request and never answer. */
  | 'stall'
  /** Close the connection without an answer. */
  | 'drop'
  /** A gateway's HTML error page with HTTP 502. */
  | 'html'
  /** HTTP 200 with a body that is not JSON at all. */
  | 'not-json'
  /** The node's real answer cut in half. */
  | 'truncated'
  /** Valid JSON-RPC whose result has the wrong type (an object where a hex string belongs, and so on). */
  | 'wrong-types'
  /** Forwarded, but eth_blockNumber answers far below the real head. */
  | 'backwards'
  /** HTTP 200 that streams a body without end (until the client hangs up or `hugeBytes` is sent). */
  | 'huge';

export interface FaultProxy {
  readonly url: string;
  /** `only`: the fault hits calls of that JSON-RPC method; every other call passes. */
  setMode(mode: FaultMode, only?: string): void;
  mode(): FaultMode;
  /** Requests seen per JSON-RPC method (batches count each call). */
  seen(method: string): number;
  /** Raw bodies of every eth_sendRawTransaction forwarded to the node. */
  forwardedRawTxs(): string[];
  close(): Promise<void>;
}

const WRONG: Record<string, unknown> = {
  eth_chainId: { chain: 31337 },
  eth_blockNumber: [1, 2, 3],
  eth_getTransactionCount: true,
  eth_getTransactionReceipt: 'receipt',
  eth_estimateGas: null,
  eth_gasPrice: { wei: 1 },
};

/** Starts the proxy on 127.0.0.1 in front of `target` (an http:// node URL). */
export async function startFaultProxy(target: string, options: { hugeBytes?: number } = {}): Promise<FaultProxy> {
  let current: FaultMode = 'pass';
  let onlyMethod: string | undefined;
  const counts = new Map<string, number>();
  const rawTxs: string[] = [];
  const sockets = new Set<Socket>();
  const hugeBytes = options.hugeBytes ?? 256 * 1024 * 1024;

  /** Sends `body` to the node; `answer` gets its status and body (502 when the node is down). */
  const forward = (body: Buffer, answer: (status: number, bytes: Buffer) => void): void => {
    const out = httpRequest(target, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (reply) => {
      const parts: Buffer[] = [];
      reply.on('data', (c: Buffer) => parts.push(c));
      reply.on('end', () => answer(reply.statusCode ?? 502, Buffer.concat(parts)));
    });
    out.on('error', () => answer(502, Buffer.from('upstream down')));
    out.end(body);
  };
  const reply = (res: ServerResponse) => (status: number, bytes: Buffer | string): void => {
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(bytes);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    let calls: { id?: unknown; method?: string; params?: unknown[] }[] = [];
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      calls = (Array.isArray(parsed) ? parsed : [parsed]) as typeof calls;
    } catch {
      // Not JSON from the client: forwarded as is in `pass`, the node answers.
    }
    for (const call of calls) {
      const method = String(call.method);
      counts.set(method, (counts.get(method) ?? 0) + 1);
    }
    const first = calls[0];
    const mode = onlyMethod === undefined || first?.method === onlyMethod ? current : 'pass';
    // Only these modes let the call reach the node.
    if (first?.method === 'eth_sendRawTransaction' && ['pass', 'drop', 'truncated', 'backwards'].includes(mode)) rawTxs.push(String(first.params?.[0]));
    switch (mode) {
      case 'pass':
        return forward(body, reply(res));
      case 'stall':
        return; // the socket stays open with nothing sent
      case 'drop':
        // The node gets the call (a sent transaction is in its pool); the answer is lost.
        return forward(body, () => req.socket.destroy());
      case 'html':
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1>nginx</body></html>');
        return;
      case 'not-json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('Service temporarily unavailable; retry later');
        return;
      case 'truncated':
        return forward(body, (status, bytes) => reply(res)(status, bytes.subarray(0, Math.floor(bytes.length / 2))));
      case 'wrong-types': {
        const method = String(first?.method);
        const result = method in WRONG ? WRONG[method] : { unexpected: 'object' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: first?.id ?? 1, result }));
        return;
      }
      case 'backwards':
        if (first?.method === 'eth_blockNumber') {
          reply(res)(200, JSON.stringify({ jsonrpc: '2.0', id: first.id, result: '0x1' }));
          return;
        }
        return forward(body, reply(res));
      case 'huge':
        return streamHuge(res, hugeBytes);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setMode: (mode, only) => {
      current = mode;
      onlyMethod = only;
    },
    mode: () => current,
    seen: (method) => counts.get(method) ?? 0,
    forwardedRawTxs: () => [...rawTxs],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy(); // stalled requests would hold close() forever
        server.close(() => resolve());
      }),
  };
}

/** Writes `{"jsonrpc":"2.0","id":1,"result":"0x000…` in 1 MiB chunks, respecting backpressure. */
function streamHuge(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(1024 * 1024, 0x30);
  let sent = 0;
  res.write('{"jsonrpc":"2.0","id":1,"result":"0x');
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end('"}');
  };
  res.on('close', () => {
    sent = total;
  });
  pump();
}
