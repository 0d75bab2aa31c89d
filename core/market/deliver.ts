/**
 * Delivers a signed result to the requester's resultUri. A requester that is down, slow
 * or never reads must not hold the market agent: every attempt is bounded by a timeout,
 * retries are few and spaced through the clock, and nothing here throws.
 */
import { isHearthError } from '../../common/errors.ts';
import type { ResultDelivery } from '../../common/market/job-format.ts';
import type { Clock, TimerHandle } from '../ports.ts';
import { describe } from './fetch-input.ts';
import { checkHost, type HostResolver } from './host-policy.ts';

export interface DeliverOptions {
  /** Per attempt, the answer's body included (default 30 s). */
  timeoutMs?: number;
  /** Tries in all (default 3). */
  attempts?: number;
  /** Wait before the second try; doubles after each (default 2 s). */
  backoffMs?: number;
  clock: Clock;
  allowPrivateHosts: boolean;
  fetchImpl?: typeof fetch;
  resolve?: HostResolver;
}

export type DeliverOutcome = { ok: true; status: number } | { ok: false; reason: string };

/** How much of a refusal's body is read, and how much of it is kept. */
const READ_LIMIT = 4096;
const REASON_CHARS = 200;

type Attempt = { done: true; outcome: DeliverOutcome } | { done: false; reason: string };

/**
 * POSTs the delivery as JSON. 2xx is success; 4xx (but 408/429) is final, with the
 * server's message; network errors, timeouts, 408, 429 and 5xx are retried with backoff.
 * Redirects are not followed (a result goes only where the job said). Never throws.
 * Worst case it takes attempts × timeoutMs plus the backoffs.
 */
export async function deliverResult(uri: string, delivery: ResultDelivery, options: DeliverOptions): Promise<DeliverOutcome> {
  const attempts = Math.max(1, options.attempts ?? 3);
  let backoff = options.backoffMs ?? 2_000;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { ok: false, reason: 'the result address is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `the result address uses ${url.protocol}; only http and https are allowed` };
  const body = JSON.stringify(delivery);
  let last = '';
  for (let i = 0; i < attempts; i++) {
    if (i > 0) {
      await sleep(options.clock, backoff);
      backoff *= 2;
    }
    const result = await attempt(url, body, options);
    if (result.done) return result.outcome;
    last = result.reason;
  }
  return { ok: false, reason: `${last} (after ${attempts} ${attempts === 1 ? 'try' : 'tries'})` };
}

async function attempt(url: URL, body: string, options: DeliverOptions): Promise<Attempt> {
  try {
    await checkHost(url, { allowPrivateHosts: options.allowPrivateHosts, resolve: options.resolve, refusedCode: 'result_host_refused', unreachableCode: 'result_unreachable' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isHearthError(error) && error.code === 'result_host_refused') return { done: true, outcome: { ok: false, reason: message } };
    return { done: false, reason: message };
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controller = new AbortController();
  let timedOut = false;
  const timer: TimerHandle = options.clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await (options.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const status = response.status;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { done: true, outcome: { ok: true, status } };
    }
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      return { done: true, outcome: { ok: false, reason: `the requester's server redirected (HTTP ${status}); results are not sent elsewhere` } };
    }
    const message = await readMessage(response);
    const reason = `HTTP ${status}${message ? `: ${message}` : ''}`;
    if (status >= 500 || status === 408 || status === 429) return { done: false, reason };
    return { done: true, outcome: { ok: false, reason } };
  } catch (error) {
    if (timedOut) return { done: false, reason: `no answer within ${timeoutMs} ms` };
    return { done: false, reason: `could not reach the requester (${describe(error)})` };
  } finally {
    controller.abort();
    options.clock.clearTimeout(timer);
  }
}

/** The first bytes of a body as a one-line, control-free message of at most 200 characters. */
async function readMessage(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < READ_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut short still gives what arrived
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return sanitize(new TextDecoder().decode(all.subarray(0, READ_LIMIT)));
}

/** Strips control characters (C0, DEL, C1, bidi overrides), collapses whitespace, keeps 200 characters. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, REASON_CHARS).join('');
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
