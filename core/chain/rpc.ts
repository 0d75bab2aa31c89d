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
      // A stalled node (accepts, never answers) ends here through the abort: say so plainly.
      if (controller.signal.aborted) throw new TransientError(`${url}: no answer within ${timeoutMs / 1000} s`);
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
    if (typeof body !== 'object' || body === null || !('result' in body)) throw new TransientError(`${url}: answered JSON that is not a JSON-RPC reply`);
    const problem = checkResult(method, body.result);
    // A broken or hostile node: try the next URL as for a timeout; callers never see the bad value.
    if (problem) throw new TransientError(`${url}: answered ${method} with ${problem}`);
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
        `The network's RPC endpoint gave no usable answer (${last}). Check your connection or add another RPC URL.`,
      );
    },
  };
}

// Lenient on leading zeros: some nodes send "0x00".
const QUANTITY = /^0x[0-9a-f]{1,64}$/i;
const DATA = /^0x([0-9a-f]{2})*$/i;
const HASH = /^0x[0-9a-f]{64}$/i;
/** Methods whose answer is a number: chain id, block number, nonce, gas, fees, balance. */
const QUANTITY_METHODS = new Set(['eth_chainId', 'eth_blockNumber', 'eth_getTransactionCount', 'eth_estimateGas', 'eth_gasPrice', 'eth_maxPriorityFeePerGas', 'eth_getBalance']);
/** Methods answering an object, or null for "not found". */
const OBJECT_METHODS = new Set(['eth_getBlockByNumber', 'eth_getBlockByHash', 'eth_getTransactionReceipt', 'eth_getTransactionByHash', 'eth_feeHistory']);
/** Far beyond any real chain's block number or nonce (2^53): a value past it is a lie, not data. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Why `result` cannot be the answer to `method`, or null when its shape fits. Only the shape
 * of the common methods is checked, so callers that do `BigInt(result)` or `result.filter`
 * never turn a broken node's answer into "Cannot convert [object Object] to a BigInt".
 */
export function checkResult(method: string, result: unknown): string | null {
  const shown = (): string => {
    const text = JSON.stringify(result) ?? String(result);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  if (QUANTITY_METHODS.has(method)) {
    if (typeof result !== 'string' || !QUANTITY.test(result)) return `something that is not a hex number (${shown()})`;
    if (method !== 'eth_getBalance' && method !== 'eth_gasPrice' && method !== 'eth_maxPriorityFeePerGas' && BigInt(result) > MAX_SAFE) return `an impossible value (${shown()})`;
    return null;
  }
  if (OBJECT_METHODS.has(method)) return result === null || (typeof result === 'object' && !Array.isArray(result)) ? null : `something that is not an object (${shown()})`;
  if (method === 'eth_getLogs') return Array.isArray(result) ? null : `something that is not a list of logs (${shown()})`;
  if (method === 'eth_call' || method === 'eth_getCode') return typeof result === 'string' && DATA.test(result) ? null : `something that is not hex data (${shown()})`;
  if (method === 'eth_sendRawTransaction') return typeof result === 'string' && HASH.test(result) ? null : `something that is not a transaction hash (${shown()})`;
  return null;
}

/** Asks one URL for its chain id (no retries): used to validate a network before saving it. */
export async function fetchChainId(url: string, clock: Clock, timeoutMs = 5_000): Promise<number> {
  const client = createRpcClient({ urls: [url], clock, timeoutMs, rounds: 1 });
  const hex = await client.request<string>('eth_chainId');
  return Number.parseInt(hex, 16);
}
