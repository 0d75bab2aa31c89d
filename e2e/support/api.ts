import WebSocket from 'ws';
import type { DaemonHandle } from './daemon.ts';

/** The daemon's API over its WebSocket with its token, the way the CLI talks to it. */
export interface Api {
  /** Resolves with the value, rejects with "channel: code message" when core refuses. */
  call<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  close(): void;
}

/** For scripting the environment (idle, checks against the ledger): the user's steps go through the UI. */
export async function connectApi(daemon: DaemonHandle): Promise<Api> {
  const ws = new WebSocket(`ws://127.0.0.1:${daemon.port}/api?token=${daemon.token}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const pending = new Map<number, (envelope: { ok: boolean; value?: unknown; code?: string; message?: string }) => void>();
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { type: string; id?: number; envelope?: { ok: boolean } };
    if (frame.type === 'result' && frame.id !== undefined) {
      pending.get(frame.id)?.(frame.envelope as never);
      pending.delete(frame.id);
    }
  });
  return {
    call: <T>(channel: string, payload: unknown = {}) =>
      new Promise<T>((resolve, reject) => {
        pending.set(++id, (e) => (e.ok ? resolve(e.value as T) : reject(new Error(`${channel}: ${e.code ?? ''} ${e.message ?? ''}`))));
        ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
      }),
    close: () => ws.close(),
  };
}
