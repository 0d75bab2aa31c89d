import { HearthError } from '../../common/errors.ts';
import type { Clock } from '../ports.ts';
import { postJson } from './http-post.ts';

/** A JSON-RPC error the node answered with (not a transport failure). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface RpcClient {
  /** Sends one call, trying each URL in turn and retrying transient failures. */
  request<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  readonly urls: readonly string[];
}

export interface RpcOptions {
  urls: string[];
  clock: Clock;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Rounds over all URLs before giving up (default 3). */
  rounds?: number;
  /** First backoff between rounds; doubles each round (default 250 ms). */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
}

/** Errors worth retrying: the node did not answer, or said it is busy. */
class TransientError extends Error {}

let nextId = 1;

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/**
 * A JSON-RPC client over HTTP with several URLs: it sticks to the last URL that worked,
 * falls back to the next on network errors, timeouts, HTTP 429/5xx and rate-limit
 * replies, and backs off between rounds. JSON-RPC errors (reverts, bad nonce) are not
 * retried: they are answers, thrown as RpcError.
 */
export function createRpcClient(options: RpcOptions): RpcClient {
  const urls = [...options.urls];
  if (urls.length === 0) throw new HearthError('no_rpc_url', 'This network has no RPC URL. Add at least one.');
  const doFetch = options.fetchImpl ?? postJson;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rounds = options.rounds ?? 3;
  let preferred = 0;

  const attempt = async (url: string, method: string, params: unknown[]): Promise<unknown> => {
    const controller = new AbortController();
    const timer = options.clock.setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
        signal: controller.signal,
      });
    } catch (error) {
      throw new TransientError(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      options.clock.clearTimeout(timer);
    }
    if (response.status === 429 || response.status >= 500) throw new TransientError(`${url}: HTTP ${response.status}`);
    let body: { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new TransientError(`${url}: answered with something other than JSON (HTTP ${response.status})`);
    }
    if (body.error) {
      const code = typeof body.error.code === 'number' ? body.error.code : -1;
      const message = typeof body.error.message === 'string' ? body.error.message : 'unknown RPC error';
      // -32005 is the common "limit exceeded" code: a busy node, not a wrong request.
      if (code === -32005 || /rate limit|too many requests/i.test(message)) throw new TransientError(`${url}: ${message}`);
      throw new RpcError(code, message, body.error.data);
    }
    if (!response.ok) throw new TransientError(`${url}: HTTP ${response.status}`);
    return body.result;
  };

  return {
    urls,
    async request<T>(method: string, params: unknown[] = []): Promise<T> {
      let last = '';
      let backoff = options.backoffMs ?? 250;
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < urls.length; k++) {
          const index = (preferred + k) % urls.length;
          try {
            const result = await attempt(urls[index]!, method, params);
            preferred = index;
            return result as T;
          } catch (error) {
            if (!(error instanceof TransientError)) throw error;
            last = error.message;
          }
        }
        if (round < rounds - 1) {
          await sleep(options.clock, backoff);
          backoff *= 2;
        }
      }
      throw new HearthError(
        'rpc_unreachable',
        `The network's RPC endpoint did not answer (${last}). Check your connection or add another RPC URL.`,
      );
    },
  };
}

/** Asks one URL for its chain id (no retries): used to validate a network before saving it. */
export async function fetchChainId(url: string, clock: Clock, timeoutMs = 5_000): Promise<number> {
  const client = createRpcClient({ urls: [url], clock, timeoutMs, rounds: 1 });
  const hex = await client.request<string>('eth_chainId');
  return Number.parseInt(hex, 16);
}
