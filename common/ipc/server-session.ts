import type { Envelope } from './define.ts';
import type { Caller } from './caller.ts';
import { clientMessage, type ServerMessage } from './wire.ts';

export type Dispatch = (channel: unknown, payload: unknown, caller?: Caller) => Promise<Envelope>;

/**
 * Serves one connected client: parses each incoming frame, dispatches calls and sends
 * the reply. Malformed frames get no reply (there is no id to answer to) and are reported.
 */
export function serveFrame(
  frame: unknown,
  dispatch: Dispatch,
  send: (message: ServerMessage) => void,
  onBadFrame: (reason: string) => void,
): void {
  const parsed = clientMessage.safeParse(frame);
  if (!parsed.success) {
    onBadFrame('malformed frame from client');
    return;
  }
  const { id, channel, payload } = parsed.data;
  void dispatch(channel, payload).then((envelope) => send({ type: 'result', id, envelope }));
}
