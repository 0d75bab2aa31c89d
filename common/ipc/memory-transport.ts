import type { ServerMessage } from './wire.ts';
import { RpcChannel } from './rpc.ts';
import { serveFrame, type Dispatch } from './server-session.ts';

/**
 * A client and a server joined in memory, with a structured-clone hop between them like
 * a real process boundary. Used by tests to exercise the contract without Electron.
 */
export function createMemoryPair(dispatch: Dispatch): { client: RpcChannel; emit: (channel: string, payload: unknown) => void } {
  const toClient = (message: ServerMessage): void => {
    const copy = structuredClone(message);
    queueMicrotask(() => client.receive(copy));
  };
  const client: RpcChannel = new RpcChannel((message) => {
    const copy = structuredClone(message);
    queueMicrotask(() => serveFrame(copy, dispatch, toClient, () => undefined));
  });
  return { client, emit: (channel, payload) => toClient({ type: 'event', channel, payload }) };
}
