import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESULT_BYTES, resultDelivery, verifyDelivery, type ResultDelivery } from '../../common/market/job-format.ts';
import { nodeHashing } from '../market/result-hash.ts';
import type { Clock, Logger } from '../ports.ts';
import { BodyError, readBody } from './read-body.ts';

export interface JobServerOptions {
  /** Interface to listen on (default 127.0.0.1: the local devnet's providers). */
  host?: string;
  /** Port (default: a random free one). */
  port?: number;
  /** Largest accepted delivery body (default MAX_RESULT_BYTES). */
  maxResultBytes?: number;
  /** A delivery body must arrive completely within this time (default 30 s). */
  bodyTimeoutMs?: number;
  /** Times the body reads; defaults to real time. */
  clock?: Clock;
  logger?: Logger;
}

/** The on-chain job a hosted document belongs to; deliveries must name exactly this. */
export interface BoundJob {
  chainId: number;
  market: string;
  jobId: string;
}

/** One input document served by the job server, and the deliveries that came back for it. */
export interface HostedJob {
  readonly token: string;
  readonly inputUri: string;
  readonly resultUri: string;
  /** Ties the document to its posted job; deliveries are refused until then. */
  bind(job: BoundJob): void;
  /**
   * Decides whether a signed delivery's provider may deliver (normally: is it the
   * claimant?). Without it every correctly signed delivery for the bound job is kept.
   */
  authorize(check: (provider: string) => Promise<boolean>): void;
  /** Called with each accepted delivery (already schema-checked and signature-verified). */
  onDelivery(listener: (delivery: ResultDelivery) => void): void;
  /** The last accepted delivery from `provider`, if any. */
  deliveryFrom(provider: string): ResultDelivery | undefined;
  /** Stops serving this document and accepting deliveries for it. */
  close(): void;
}

/** The requester's HTTP endpoint: serves input documents and receives result deliveries. */
export interface JobServer {
  readonly url: string;
  /** Hosts a document built from its own result URI (the document names where to deliver). */
  host(build: (urls: { resultUri: string }) => Uint8Array): HostedJob;
  close(): Promise<void>;
}

interface Slot {
  document: Uint8Array;
  bound: BoundJob | undefined;
  authorize: ((provider: string) => Promise<boolean>) | undefined;
  listeners: ((delivery: ResultDelivery) => void)[];
  deliveries: Map<string, ResultDelivery>;
}

const ROUTE = /^\/jobs\/([0-9a-f]{64})\/(input|result)$/;

/**
 * Starts the job server. Paths carry a 256-bit random token, so a document can only be
 * found through its on-chain inputUri. Nothing a client sends can crash the process:
 * bodies are size-capped and time-boxed, every value is schema-checked, and every
 * refusal is a 4xx with a sentence saying why.
 */
export async function startJobServer(options: JobServerOptions = {}): Promise<JobServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBytes = options.maxResultBytes ?? MAX_RESULT_BYTES;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
  const slots = new Map<string, Slot>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger?.warn('job server: request failed', { error: error instanceof Error ? error.message : String(error) });
      reply(res, 500, { ok: false, error: 'Internal error.' });
    });
  });
  server.headersTimeout = Math.min(10_000, bodyTimeoutMs);
  server.requestTimeout = bodyTimeoutMs + 5_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = ROUTE.exec((req.url ?? '').split('?')[0] ?? '');
    const slot = match ? slots.get(match[1]!) : undefined;
    if (!match || !slot) {
      reply(res, 404, { ok: false, error: 'No such job document.' });
      return;
    }
    if (match[2] === 'input') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        reply(res, 405, { ok: false, error: 'Input documents are read with GET.' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': slot.document.byteLength, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : slot.document);
      return;
    }
    if (req.method !== 'POST') {
      reply(res, 405, { ok: false, error: 'Results are delivered with POST.' });
      return;
    }
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      reply(res, 415, { ok: false, error: 'A delivery is JSON: send Content-Type: application/json.' });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBytes, bodyTimeoutMs, options.clock);
    } catch (error) {
      const status = error instanceof BodyError ? error.status : 400;
      reply(res, status, { ok: false, error: error instanceof Error ? error.message : 'Unreadable body.' }, true);
      return;
    }
    const outcome = await accept(slot, body);
    reply(res, outcome.status, 'error' in outcome ? { ok: false, error: outcome.error } : { ok: true });
  }

  async function accept(slot: Slot, body: Buffer): Promise<{ status: 200 } | { status: 400 | 403 | 409; error: string }> {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, error: 'The body is not valid JSON.' };
    }
    const parsed = resultDelivery.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { status: 400, error: `Not a result delivery: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}.` };
    }
    const delivery = parsed.data;
    const bound = slot.bound;
    if (!bound) return { status: 409, error: 'This job is not on-chain yet; deliver after claiming it.' };
    if (delivery.chainId !== bound.chainId || delivery.market.toLowerCase() !== bound.market.toLowerCase() || delivery.jobId !== bound.jobId) {
      return { status: 400, error: `This address takes results for job ${bound.jobId} on market ${bound.market} (chain ${bound.chainId}) only.` };
    }
    const verified = verifyDelivery(delivery, nodeHashing);
    if (!verified.ok) return { status: 400, error: `The delivery does not verify: ${verified.reason}.` };
    if (slot.authorize && !(await slot.authorize(delivery.provider).catch(() => false))) {
      return { status: 403, error: `${delivery.provider} is not the provider that claimed job ${bound.jobId}.` };
    }
    slot.deliveries.set(delivery.provider.toLowerCase(), delivery);
    for (const listener of slot.listeners) {
      try {
        listener(delivery);
      } catch (error) {
        options.logger?.warn('job server: a delivery listener threw', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { status: 200 };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url,
    host(build) {
      const token = randomBytes(32).toString('hex');
      const inputUri = `${url}/jobs/${token}/input`;
      const resultUri = `${url}/jobs/${token}/result`;
      const slot: Slot = { document: build({ resultUri }), bound: undefined, authorize: undefined, listeners: [], deliveries: new Map() };
      slots.set(token, slot);
      return {
        token,
        inputUri,
        resultUri,
        bind: (job) => void (slot.bound = job),
        authorize: (check) => void (slot.authorize = check),
        onDelivery: (listener) => void slot.listeners.push(listener),
        deliveryFrom: (provider) => slot.deliveries.get(provider.toLowerCase()),
        close: () => void slots.delete(token),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}
