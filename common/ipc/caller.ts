/**
 * One connected client (a desktop window, a browser tab, a CLI socket), as core sees it
 * when it answers a call. Most calls ignore it; calls that own per-client state (a
 * terminal session) use it to send events to that client alone and to clean up when
 * the client goes away.
 */
export interface Caller {
  /** Unique for the life of the process; never reused. */
  readonly id: string;
  /** Sends one event to this client only (already validated by whoever calls it). */
  send(channel: string, payload: unknown): void;
  /** Runs `listener` once when the client goes away (at once if it already has); returns a function that forgets it. */
  onClose(listener: () => void): () => void;
}

/** A Caller plus the `close()` its shell calls when the connection ends. */
export interface OwnedCaller extends Caller {
  close(): void;
  readonly closed: boolean;
}

let nextCaller = 1;

/** Makes the Caller for one connection; `kind` only makes ids readable in logs (`ws-3`, `window-1`). */
export function createCaller(kind: string, send: (channel: string, payload: unknown) => void): OwnedCaller {
  const listeners = new Set<() => void>();
  let closed = false;
  return {
    id: `${kind}-${nextCaller++}`,
    get closed() {
      return closed;
    },
    send(channel, payload) {
      if (!closed) send(channel, payload);
    },
    onClose(listener) {
      if (closed) {
        listener();
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch {
          // One cleanup failing must not keep the others from running.
        }
      }
      listeners.clear();
    },
  };
}
