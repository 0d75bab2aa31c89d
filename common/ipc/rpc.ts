import { HearthError } from '../errors.ts';
import type { Envelope } from './define.ts';
import type { ClientTransport } from './client.ts';
import { serverMessage, type ClientMessage } from './wire.ts';

/**
 * Matches replies to calls over any message channel (WebSocket, in-memory pair).
 * Frames that fail to parse are dropped and reported, never thrown into the caller.
 */
export class RpcChannel implements ClientTransport {
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: Envelope) => void>();
  private readonly listeners = new Set<(channel: string, payload: unknown) => void>();

  constructor(
    private readonly sendFrame: (message: ClientMessage) => void,
    private readonly onBadFrame: (reason: string) => void = () => undefined,
  ) {}

  request(channel: string, payload: unknown): Promise<Envelope> {
    const id = this.nextId++;
    return new Promise<Envelope>((resolve, reject) => {
      this.pending.set(id, resolve);
      try {
        this.sendFrame({ type: 'call', id, channel, payload });
      } catch (error) {
        this.pending.delete(id);
        reject(new HearthError('disconnected', 'Hearth is not connected. Check that the app or daemon is running.', { cause: error }));
      }
    });
  }

  subscribe(listener: (channel: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feed every frame received from the server here. */
  receive(frame: unknown): void {
    const parsed = serverMessage.safeParse(frame);
    if (!parsed.success) {
      this.onBadFrame('malformed frame from server');
      return;
    }
    const message = parsed.data;
    if (message.type === 'result') {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.envelope);
    } else {
      for (const listener of this.listeners) listener(message.channel, message.payload);
    }
  }

  /** Fails every call still waiting, e.g. when the socket closes. */
  failPending(message = 'The connection to Hearth closed before it answered.'): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, code: 'disconnected', message });
    this.pending.clear();
  }
}
