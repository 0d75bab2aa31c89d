import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * Kept-alive connections to the RPC node, reused for every poll. A burst of parallel calls (a
 * window opening the positions page) opens a socket per call; without a timeout the agent kept
 * every one of them for good, so the daemon's sockets to its node grew with each new peak (the
 * soak bench saw 41 to 73 in two minutes). Idle sockets now close after this long, as with
 * Node's own global agent; LIFO reuse keeps steady polling on one warm socket. A request that
 * takes longer is not cut: the timeout only ends sockets waiting in the free list.
 */
export const IDLE_SOCKET_MS = 5_000;
const agentOptions = { keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS } as const;
// Idle sockets are unref'd by the agent, so they never hold a process open.
const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

/**
 * The largest answer read (32 MiB): far above any block, receipt or log page Hearth asks for,
 * and low enough that a broken or hostile node streaming without end cannot fill the memory.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * fetch() for the JSON-RPC POSTs that run all the time (block polling, the devnet's start-up
 * probe), over node:http(s). Node's fetch (undici) costs the daemon about 16 MB of resident
 * memory from its first call on, node:http about 2 MB. Takes a URL string with a string body;
 * anything else goes to the global fetch.
 */
export function postJson(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const body = init?.body;
  if (input instanceof Request || (body !== undefined && body !== null && typeof body !== 'string')) return fetch(input, init);
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  const signal = init?.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init?.method ?? 'GET', headers: plainHeaders(init?.headers), agent: url.protocol === 'https:' ? agents.https : agents.http });
    const onAbort = (): void => {
      req.destroy(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // `on`, not `once`: a second error from a destroyed socket must not go unhandled.
    req.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          chunks.length = 0;
          signal?.removeEventListener('abort', onAbort);
          reject(new Error(`the answer was larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB; refused`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      res.once('end', () => {
        signal?.removeEventListener('abort', onAbort);
        const status = res.statusCode ?? 0;
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
        // Statuses without a body (204, 304) must not be given one.
        const bytes = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(bytes, { status, statusText: res.statusMessage ?? '', headers }));
      });
    });
    req.end(body ?? undefined);
  });
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) new Headers(headers).forEach((value, name) => (out[name] = value));
  return out;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}
