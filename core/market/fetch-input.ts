/**
 * Fetches a job's input document from its (untrusted) inputUri: http(s) or an inline
 * data: URI, streamed and counted against a cap, redirects followed by hand and each hop
 * checked against the host policy, then verified against the on-chain input hash and
 * parsed with the job-format schema.
 */
import { HearthError } from '../../common/errors.ts';
import { hashBytes, jobInputDocument, MAX_INPUT_BYTES, type JobInputDocument } from '../../common/market/job-format.ts';
import { systemClock } from '../node-ports.ts';
import type { Clock, TimerHandle } from '../ports.ts';
import { checkHost, type HostResolver } from './host-policy.ts';

export interface FetchInputOptions {
  /** Largest body accepted (default MAX_INPUT_BYTES). */
  maxBytes?: number;
  /** The whole fetch, redirects and body included (default 60 s). */
  timeoutMs?: number;
  /** Longest wait for the next bytes, headers included (default 20 s). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** False on real networks: loopback, LAN, link-local and the like are refused. */
  allowPrivateHosts: boolean;
  fetchImpl?: typeof fetch;
  /** Timers go through it (default: real time). */
  clock?: Clock;
  /** Name resolution for the host policy (default dns.lookup). */
  resolve?: HostResolver;
}

export interface FetchedInput {
  bytes: Uint8Array;
  document: JobInputDocument;
}

const MAX_REDIRECTS = 3;

type Stop = 'timeout' | 'idle' | 'aborted' | 'done';

/**
 * Fetches, verifies and parses a job's input. Throws HearthError with one of the codes
 * input_scheme, input_host_refused, input_unreachable, input_timeout, input_too_large,
 * input_hash_mismatch, input_invalid, input_aborted.
 */
export async function fetchJobInput(uri: string, expectedHash: string, options: FetchInputOptions): Promise<FetchedInput> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 20_000;
  if (options.signal?.aborted) throw aborted();

  const controller = new AbortController();
  let stop: Stop | undefined;
  const halt = (why: Stop): void => {
    stop ??= why;
    controller.abort();
  };
  const onAbort = (): void => halt('aborted');
  options.signal?.addEventListener('abort', onAbort);
  const total = clock.setTimeout(() => halt('timeout'), timeoutMs);
  let idle: TimerHandle | undefined;
  const touch = (): void => {
    if (idle !== undefined) clock.clearTimeout(idle);
    idle = clock.setTimeout(() => halt('idle'), idleTimeoutMs);
  };

  let bytes: Uint8Array;
  try {
    touch();
    bytes = await fetchBytes(uri, { ...options, maxBytes, signal: controller.signal, touch });
  } catch (error) {
    if (stop === 'timeout') throw new HearthError('input_timeout', `The job input did not arrive within ${seconds(timeoutMs)}.`, { cause: error });
    if (stop === 'idle') throw new HearthError('input_timeout', `The job input stopped arriving (nothing for ${seconds(idleTimeoutMs)}).`, { cause: error });
    if (stop === 'aborted') throw aborted();
    if (error instanceof HearthError) throw error;
    throw new HearthError('input_unreachable', `Could not reach the job input (${describe(error)}).`, { cause: error });
  } finally {
    stop ??= 'done';
    controller.abort(); // a body we stopped reading must not keep its connection open
    clock.clearTimeout(total);
    if (idle !== undefined) clock.clearTimeout(idle);
    options.signal?.removeEventListener('abort', onAbort);
  }

  const actual = hashBytes(bytes);
  if (actual !== expectedHash.toLowerCase()) {
    throw new HearthError('input_hash_mismatch', `The job input does not match its on-chain hash (expected ${short(expectedHash)}, got ${short(actual)}).`);
  }
  return { bytes, document: parseDocument(bytes) };
}

async function fetchBytes(
  uri: string,
  o: FetchInputOptions & { maxBytes: number; signal: AbortSignal; touch: () => void },
): Promise<Uint8Array> {
  let url = parseUrl(uri);
  if (url.protocol === 'data:') return decodeDataUri(uri, o.maxBytes);
  const doFetch = o.fetchImpl ?? fetch;
  for (let hop = 0; ; hop++) {
    await checkHost(url, { allowPrivateHosts: o.allowPrivateHosts, resolve: o.resolve });
    const response = await doFetch(url, { redirect: 'manual', signal: o.signal, headers: { accept: 'application/json' } });
    o.touch();
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await discard(response);
      if (hop >= MAX_REDIRECTS) throw new HearthError('input_unreachable', `The job input redirects more than ${MAX_REDIRECTS} times.`);
      const next = new URL(response.headers.get('location')!, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new HearthError('input_scheme', `The job input redirects to a ${next.protocol} address; only http and https are followed.`);
      }
      url = next;
      continue;
    }
    if (!response.ok) {
      await discard(response);
      throw new HearthError('input_unreachable', `The job input's server answered HTTP ${response.status}.`);
    }
    const announced = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(announced) && announced > o.maxBytes) {
      await discard(response);
      throw tooLarge(o.maxBytes);
    }
    return readCapped(response, o.maxBytes, o.touch);
  }
}

/** Reads a body chunk by chunk, stopping (and closing the connection) past `maxBytes`. */
async function readCapped(response: Response, maxBytes: number, touch: () => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    touch();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

function parseUrl(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new HearthError('input_scheme', 'The job input address is not a URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'data:') {
    throw new HearthError('input_scheme', `The job input uses ${url.protocol} addresses; only http, https and data are fetched.`);
  }
  return url;
}

/** RFC 2397: `data:[<mediatype>][;base64],<data>`, the data percent-encoded either way. */
function decodeDataUri(uri: string, maxBytes: number): Uint8Array {
  // Percent-encoding at most triples a byte: anything longer cannot fit the cap.
  if (uri.length > maxBytes * 3 + 1024) throw tooLarge(maxBytes);
  const comma = uri.indexOf(',');
  if (comma < 0) throw new HearthError('input_invalid', 'The data: job input has no comma before its data.');
  const meta = uri.slice('data:'.length, comma);
  const isBase64 = /;base64$/i.test(meta.trim());
  const raw = percentDecode(uri.slice(comma + 1));
  let bytes: Uint8Array;
  if (isBase64) {
    const text = new TextDecoder('latin1').decode(raw).replace(/[\s]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
      throw new HearthError('input_invalid', 'The data: job input is not valid base64.');
    }
    bytes = new Uint8Array(Buffer.from(text, 'base64'));
  } else {
    bytes = raw;
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return bytes;
}

function percentDecode(text: string): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/i.test(hex)) throw new HearthError('input_invalid', 'The data: job input has a malformed %-escape.');
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = text.codePointAt(i)!;
      if (code < 0x80) out.push(code);
      else {
        const piece = String.fromCodePoint(code);
        out.push(...encoder.encode(piece));
        i += piece.length - 1;
      }
    }
  }
  return new Uint8Array(out);
}

function parseDocument(bytes: Uint8Array): JobInputDocument {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new HearthError('input_invalid', `The job input is not JSON (${describe(error)}).`);
  }
  const parsed = jobInputDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(document)';
    throw new HearthError('input_invalid', `The job input is not a valid job document: ${path}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function tooLarge(maxBytes: number): HearthError {
  return new HearthError('input_too_large', `The job input is larger than the ${formatBytes(maxBytes)} a provider accepts.`);
}

function aborted(): HearthError {
  return new HearthError('input_aborted', 'Fetching the job input was cancelled.');
}

function short(hash: string): string {
  const h = hash.toLowerCase();
  return h.length > 14 ? `${h.slice(0, 10)}…${h.slice(-4)}` : h;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

/** The innermost message of an error (fetch wraps the socket error in `cause`). */
export function describe(error: unknown): string {
  let e: unknown = error;
  for (let i = 0; i < 4 && e instanceof Error && e.cause instanceof Error; i++) e = e.cause;
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  const text = typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
  return text.slice(0, 200);
}
