import type { IncomingMessage } from 'node:http';
import { systemClock } from '../node-ports.ts';
import type { Clock } from '../ports.ts';

/** Why a request body could not be read, with the HTTP status to answer. */
export class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads a request body of at most `maxBytes`, counting what arrives (a Content-Length
 * header is only used to refuse early), and gives up after `timeoutMs` so a client that
 * trickles bytes cannot hold the request open (timed on `clock`).
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number, clock: Clock = systemClock): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new BodyError(413, `The body is ${declared} bytes; at most ${maxBytes} are accepted.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: BodyError | undefined, body?: Buffer): void => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      req.removeListener('data', onData);
      if (error) {
        // Stop reading; the caller answers and closes the connection.
        req.pause();
        reject(error);
      } else {
        resolve(body ?? Buffer.alloc(0));
      }
    };
    const timer = clock.setTimeout(() => finish(new BodyError(408, `The body did not arrive within ${timeoutMs} ms.`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) finish(new BodyError(413, `The body is over ${maxBytes} bytes.`));
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(undefined, Buffer.concat(chunks, size)));
    req.once('aborted', () => finish(new BodyError(400, 'The client aborted the request.')));
    req.once('error', (error) => finish(new BodyError(400, `The request failed: ${error.message}`)));
  });
}
