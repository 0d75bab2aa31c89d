import WebSocket from 'ws';
import type { Envelope } from '../../common/ipc/define.ts';
import { serverMessage } from '../../common/ipc/wire.ts';
import type { FuzzTarget } from './target.ts';

/** Ids the fuzzer's own probes use, far from the ones generated frames carry. */
const PROBE_IDS_FROM = 2 ** 40;

/**
 * An authorized WebSocket to the daemon that keeps every result it receives, so a fuzzer
 * can send raw text or bytes and then ask what, if anything, came back for an id. Messages
 * that are not well-formed server frames are kept apart: each is a failure.
 */
export class FuzzSocket {
  /** Results not yet taken, by id (a duplicated id may be answered twice). */
  private readonly results = new Map<number, Envelope[]>();
  private readonly waiters = new Set<() => void>();
  private nextProbe = PROBE_IDS_FROM;
  /** Server messages that did not parse as the wire's server frames. */
  readonly malformed: string[] = [];
  /** Events by channel, counted. */
  readonly events = new Map<string, number>();
  closeCode: number | null = null;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      let parsed: ReturnType<typeof serverMessage.safeParse>;
      try {
        parsed = serverMessage.safeParse(JSON.parse(data.toString('utf8')));
      } catch {
        parsed = serverMessage.safeParse(undefined);
      }
      if (!parsed.success) this.malformed.push(data.toString('utf8').slice(0, 200));
      else if (parsed.data.type === 'event') this.events.set(parsed.data.channel, (this.events.get(parsed.data.channel) ?? 0) + 1);
      else this.results.set(parsed.data.id, [...(this.results.get(parsed.data.id) ?? []), parsed.data.envelope]);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static async open(target: Pick<FuzzTarget, 'port' | 'token'>): Promise<FuzzSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/api?token=${target.token}`, { maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new FuzzSocket(ws);
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  sendBinary(bytes: Buffer): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Every result id received and not yet taken. */
  pendingIds(): number[] {
    return [...this.results.keys()];
  }

  /** Takes one result for `id`; null when none comes within the time or the socket closes. */
  async result(id: number, timeoutMs: number): Promise<Envelope | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const queue = this.results.get(id);
      if (queue && queue.length > 0) {
        const envelope = queue.shift()!;
        if (queue.length === 0) this.results.delete(id);
        return envelope;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closeCode !== null) return null;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  /** Waits until the server closes this socket; its close code, or null if it stays open. */
  async closed(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.closeCode;
  }

  /** A well-formed call with a probe id; its envelope, or null when none came. */
  async call(channel: string, payload: unknown, timeoutMs = 10_000): Promise<Envelope | null> {
    const id = this.nextProbe++;
    this.sendText(JSON.stringify({ type: 'call', id, channel, payload }));
    return this.result(id, timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}

/** A fresh authorized socket answers app:status: the daemon is alive and serving. */
export async function answersStatus(target: Pick<FuzzTarget, 'port' | 'token'>): Promise<string | null> {
  let socket: FuzzSocket | undefined;
  try {
    socket = await FuzzSocket.open(target);
    const envelope = await socket.call('app:status', {});
    if (!envelope) return 'app:status got no answer within 10 s';
    return envelope.ok ? null : `app:status answered ${envelope.code}: ${envelope.message}`;
  } catch (error) {
    return `could not connect for app:status: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    socket?.close();
  }
}
