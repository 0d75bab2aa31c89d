import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../common/ipc/define.ts';
import type { HearthContract } from '../../../common/ipc/contract.ts';
import { useClient, useHearth } from './context.tsx';
import { toCallError, type CallError } from './store.ts';

type C = HearthContract;

export interface CallResult<T> {
  data: T | null;
  error: CallError | null;
  /** True until the first answer (success or failure) arrives. */
  loading: boolean;
  refresh: () => void;
}

/**
 * Calls `channel` when the page mounts and each time the connection comes back, and
 * again every `intervalMs` if given. For page-local data that does not belong in the
 * app store (a device list, a job history page).
 */
export function useCall<K extends CallName<C>>(channel: K, input: CallInput<C, K>, options: { intervalMs?: number } = {}): CallResult<CallOutput<C, K>> {
  const client = useClient();
  const connected = useHearth((state) => state.connection === 'connected');
  const [data, setData] = useState<CallOutput<C, K> | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [loading, setLoading] = useState(true);
  // Inputs are small plain objects; compare them by value so `{}` literals do not refetch each render.
  const inputKey = JSON.stringify(input ?? null);
  const inputRef = useRef(input);
  inputRef.current = input;
  const alive = useRef(true);

  const refresh = useCallback(() => {
    client.call(channel, inputRef.current).then(
      (value) => {
        if (!alive.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!alive.current) return;
        setError(toCallError(failure));
        setLoading(false);
      },
    );
  }, [client, channel]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    if (!connected) return undefined;
    refresh();
    if (options.intervalMs === undefined) return undefined;
    const timer = window.setInterval(refresh, options.intervalMs);
    return () => window.clearInterval(timer);
  }, [connected, refresh, inputKey, options.intervalMs]);

  return { data, error, loading, refresh };
}

/** Listens to one core event while the component is mounted. */
export function useEvent<K extends EventName<C>>(event: K, listener: (payload: EventPayload<C, K>) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}
