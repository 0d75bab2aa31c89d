import type { Envelope } from '../../common/ipc/define.ts';
import { MAX_FRAME_BYTES } from '../../common/ipc/wire.ts';
import { FuzzSocket } from './socket.ts';
import type { FuzzTarget } from './target.ts';

/** Longest refusal message that still reads as a sentence rather than an echo of the input. */
export const MAX_MESSAGE_CHARS = 2000;

/** Why a refusal is not one a person can act on, or null when it is fine. */
export function unreadableRefusal(envelope: Envelope): string | null {
  if (envelope.ok) return null;
  if (!/^[a-z][a-z0-9_]*$/.test(envelope.code)) return `code ${JSON.stringify(envelope.code.slice(0, 80))} is not a stable code`;
  if (envelope.message.trim().length < 8) return `message ${JSON.stringify(envelope.message)} says nothing`;
  if (envelope.message.length > MAX_MESSAGE_CHARS)
    return `message is ${envelope.message.length} characters long: ${envelope.message.slice(0, 120)}…`;
  if (/\n\s+at /.test(envelope.message)) return 'message carries a stack trace';
  if (envelope.message.includes('[object Object]')) return 'message says [object Object]';
  return null;
}

/**
 * Checks one answer. `accepted` is what the contract's own schema says of the input: refused
 * input must come back as bad_input; accepted input may succeed or fail with a stable code,
 * but never as `internal` or `bad_output` (a handler that broke on input it had accepted).
 */
export function envelopeProblem(accepted: boolean, envelope: Envelope, expectedCode = 'bad_input'): string | null {
  if (!accepted) {
    if (envelope.ok) return 'answered ok to input its schema refuses';
    if (envelope.code !== expectedCode)
      return `refused with ${envelope.code} (${envelope.message.slice(0, 200)}), expected ${expectedCode}`;
  } else if (!envelope.ok && (envelope.code === 'internal' || envelope.code === 'bad_output')) {
    return `broke on input it accepted: ${envelope.code}: ${envelope.message.slice(0, 200)}`;
  }
  return unreadableRefusal(envelope);
}

/** One authorized socket that is reopened when the daemon closes it (an oversized frame does). */
export class Session {
  private constructor(
    private readonly target: FuzzTarget,
    public socket: FuzzSocket,
  ) {}

  static async open(target: FuzzTarget): Promise<Session> {
    return new Session(target, await FuzzSocket.open(target));
  }

  async reopen(): Promise<void> {
    this.socket.close();
    this.socket = await FuzzSocket.open(this.target);
  }

  /**
   * Sends a text frame. One over the wire's size limit must make the daemon drop the socket
   * without reading the frame (ws refuses it as too big and the server terminates the
   * socket, so the client sees 1006 or 1009); returns the problem if the socket stays open.
   */
  async sendText(text: string): Promise<{ oversize: boolean; problem: string | null }> {
    this.socket.sendText(text);
    if (Buffer.byteLength(text) <= MAX_FRAME_BYTES) return { oversize: false, problem: null };
    const code = await this.socket.closed(10_000);
    await this.reopen();
    return {
      oversize: true,
      problem: code === null ? `a ${Buffer.byteLength(text)}-byte frame over the limit left the socket open` : null,
    };
  }

  close(): void {
    this.socket.close();
  }
}
