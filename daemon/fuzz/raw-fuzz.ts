import fc from 'fast-check';
import { connect } from 'node:net';
import { httpCase, type HttpCase } from './http-cases.ts';
import { encodeFrame, frameCase, serverOpcodes, type FrameCase } from './ws-frames.ts';
import { answersStatus } from './socket.ts';
import { SECRET_MARKER, type FuzzTarget } from './target.ts';

/**
 * The frame-level fuzzer: generated HTTP requests and WebSocket frames sent over raw TCP to
 * a real daemon, many connections at a time, in batches. Each answer is checked on its own
 * (no 5xx, nothing from outside the renderer folder, never a cookie, no API without the token in the query);
 * after each batch the daemon must still be running and answer an authorized app:status,
 * and its RSS is sampled so the run can say whether it grew.
 */
export interface RawFuzzOptions {
  seed: number;
  httpCases: number;
  frameCases: number;
  /** Cases between two liveness checks. */
  batch?: number;
  /** Connections open at once. */
  concurrency?: number;
  /** How long a connection may stay quiet before the fuzzer drops it. */
  quietMs?: number;
  progress?: (line: string) => void;
}

export interface RawFuzzReport {
  seed: number;
  httpCases: number;
  frameCases: number;
  /** The daemon's memory after a full collection, MB: before, after, and the most seen between batches. */
  memoryStart: { rss: number; heap: number };
  memoryEnd: { rss: number; heap: number };
  rssPeakMb: number;
  /** How the daemon answered, by status code ('none': it closed or stayed silent), per kind. */
  statuses: Record<string, number>;
  failures: string[];
}

/** Writes the pieces on a fresh connection and returns whatever came back until it closed or went quiet. */
/** How long a connection may take to say anything at all before the fuzzer drops it. */
const FIRST_ANSWER_MS = 1500;

/**
 * Writes the pieces on a fresh connection and returns whatever came back until the server
 * closed it (`closed`) or it went quiet (`quietMs` after the last byte; FIRST_ANSWER_MS before the first).
 */
function exchange(port: number, pieces: Buffer[], quietMs: number): Promise<{ answer: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    let closed = true;
    const drop = (): void => {
      closed = false;
      socket.destroy();
    };
    let timer = setTimeout(drop, FIRST_ANSWER_MS);
    socket.on('data', (chunk: Buffer) => {
      got.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(drop, quietMs);
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      for (const piece of pieces) socket.write(piece);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer: Buffer.concat(got), closed });
    });
  });
}

const fill = (text: string, target: FuzzTarget): string =>
  text.replaceAll('{TOKEN}', target.token).replaceAll('{PORT}', String(target.port));

function split(bytes: Buffer, pieces: number): Buffer[] {
  const size = Math.ceil(bytes.length / pieces) || 1;
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

/** What is wrong with an answer, whatever the request was. */
function answerProblem(answer: Buffer, tokenGiven: boolean): string | null {
  const text = answer.toString('latin1');
  if (/^HTTP\/1\.[01] 5\d\d/.test(text)) return `answered ${text.slice(0, 40)}`;
  if (text.includes(SECRET_MARKER)) return 'served a file from outside the renderer folder';
  // The renderer's public files are served without the token; a cookie never carries it.
  if (/^set-cookie:/im.test(text.split('\r\n\r\n')[0] ?? '')) return 'set a cookie';
  if (!tokenGiven) {
    if (text.startsWith('HTTP/1.1 101')) {
      const frames = serverOpcodes(answer.subarray(text.indexOf('\r\n\r\n') + 4));
      if (frames.some((opcode) => opcode !== 0x8)) return `sent frames ${frames.join(',')} on a socket opened without the token`;
    }
  }
  return null;
}

type Outcome = { status: string; problem: string | null };
/** The answer's status code; with none, whether the server closed the connection or just stayed silent. */
const statusOf = ({ answer, closed }: { answer: Buffer; closed: boolean }): string =>
  /^HTTP\/1\.[01] (\d{3})/.exec(answer.toString('latin1', 0, 16))?.[1] ?? (answer.length > 0 ? 'other' : closed ? 'closed' : 'silent');

async function runHttp(target: FuzzTarget, c: HttpCase, quietMs: number): Promise<Outcome> {
  let bytes = Buffer.from(fill(c.text, target), 'utf8');
  if (c.cutAt !== null && c.cutAt < bytes.length) bytes = bytes.subarray(0, c.cutAt);
  const got = await exchange(target.port, split(bytes, c.pieces), quietMs);
  return { status: statusOf(got), problem: answerProblem(got.answer, c.token === 'query') };
}

async function runFrames(target: FuzzTarget, c: FrameCase, quietMs: number): Promise<Outcome> {
  const query = c.withToken ? `?token=${target.token}` : '';
  const handshake = Buffer.from(
    `GET /api${query} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const frames = Buffer.concat(c.frames.map(encodeFrame));
  const got = await exchange(target.port, [handshake, frames.subarray(0, Math.max(0, frames.length - c.cut))], quietMs);
  const answer = got.answer;
  // No 101 at all is allowed: when the frames came in the same packet as the handshake, the
  // server may refuse them and drop the socket before its answer is flushed. The batch's
  // app:status check is what shows upgrades still work.
  const status = statusOf(got);
  if (status !== '101') return { status, problem: answerProblem(answer, c.withToken) };
  // What the server sent back after the upgrade: a close (c), data (d) or nothing at all (-).
  const after = serverOpcodes(answer.subarray(answer.indexOf('\r\n\r\n') + 4));
  const shape = after.length === 0 ? '-' : after.map((op) => (op === 0x8 ? 'c' : 'd')).join('');
  return { status: `101 then ${shape.length > 3 ? `${shape.slice(0, 3)}…` : shape}`, problem: answerProblem(answer, c.withToken) };
}

const describeHttp = (c: HttpCase): string => `${c.token} token, cut ${c.cutAt ?? 'none'}: ${JSON.stringify(c.text.slice(0, 160))}`;
const describeFrames = (c: FrameCase): string =>
  `${c.withToken ? 'with' : 'without'} token, cut ${c.cut}: ${c.frames.map((f) => `[fin ${+f.fin} rsv ${f.rsv} op ${f.opcode} mask ${+f.masked} ${f.length} ${f.payload.length}B]`).join(' ')}`;

async function pool<T>(items: T[], concurrency: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await run(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function fuzzRaw(target: FuzzTarget, options: RawFuzzOptions): Promise<RawFuzzReport> {
  const batch = options.batch ?? 500;
  const concurrency = options.concurrency ?? 32;
  const quietMs = options.quietMs ?? 150;
  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  const memoryStart = await target.memoryMb();
  let rssPeakMb = memoryStart.rss;
  const kinds = [
    { name: 'http', total: options.httpCases, seedBase: options.seed, arb: httpCase(), run: runHttp, describe: describeHttp },
    {
      name: 'frames',
      total: options.frameCases,
      seedBase: options.seed + 1_000_000,
      arb: frameCase,
      run: runFrames,
      describe: describeFrames,
    },
  ] as const;
  for (const kind of kinds) {
    for (let done = 0, round = 0; done < kind.total && !target.exited(); done += batch, round += 1) {
      const seed = kind.seedBase + round;
      const cases = fc.sample(kind.arb as fc.Arbitrary<HttpCase & FrameCase>, { seed, numRuns: Math.min(batch, kind.total - done) });
      await pool(cases, concurrency, async (c, index) => {
        const { status, problem } = await (kind.run as (t: FuzzTarget, c: HttpCase & FrameCase, q: number) => Promise<Outcome>)(
          target,
          c,
          quietMs,
        );
        statuses[`${kind.name} ${status}`] = (statuses[`${kind.name} ${status}`] ?? 0) + 1;
        if (problem) failures.push(`${kind.name} seed ${seed} case ${index}: ${problem} — ${kind.describe(c)}`);
      });
      const ended = target.exited();
      const status = ended ? `the daemon died: ${ended}\n${target.logTail()}` : await answersStatus(target);
      if (status) failures.push(`${kind.name} after batch seed ${seed}: ${status}`);
      const memory = await target.memoryMb();
      rssPeakMb = Math.max(rssPeakMb, memory.rss);
      options.progress?.(
        `${kind.name}: ${done + cases.length}/${kind.total} (batch seed ${seed}), rss ${memory.rss.toFixed(0)} MB, heap ${memory.heap.toFixed(0)} MB`,
      );
    }
  }
  return {
    seed: options.seed,
    httpCases: options.httpCases,
    frameCases: options.frameCases,
    memoryStart,
    memoryEnd: await target.memoryMb(),
    rssPeakMb,
    statuses,
    failures,
  };
}
