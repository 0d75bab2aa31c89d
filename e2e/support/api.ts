import { connectToRunning } from '../../daemon/cli/connect.ts';
import type { DaemonHandle } from './daemon.ts';

/** The daemon's API, the way the CLI talks to it (daemon/cli/connect.ts), by channel name. */
export interface Api {
  /** Resolves with the value, rejects with "channel: code message" when core refuses. */
  call<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  close(): void;
}

/** For scripting the environment (idle, checks against the ledger): the user's steps go through the UI. */
export async function connectApi(daemon: DaemonHandle): Promise<Api> {
  const connection = await connectToRunning(daemon.dataDir);
  // Specs name channels as strings; the typed client checks them against the contract at run time.
  const client = connection.client as unknown as { call(channel: string, payload: unknown): Promise<unknown> };
  return {
    call: async <T>(channel: string, payload: unknown = {}) => {
      try {
        return (await client.call(channel, payload)) as T;
      } catch (error) {
        const e = error as { code?: string; message?: string };
        throw new Error(`${channel}: ${e.code ?? ''} ${e.message ?? ''}`, { cause: error });
      }
    },
    close: () => connection.close(),
  };
}
