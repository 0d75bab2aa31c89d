import { useCallback, useEffect, useRef, useState } from 'react';
import type { MarketStatus } from '../../../../common/ipc/groups/market.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { useEvent } from '../../state/hooks.ts';
import { toCallError, type CallError } from '../../state/store.ts';

export interface MarketView {
  status: MarketStatus | null;
  error: CallError | null;
  /** Replaces the status with a newer one (e.g. the answer of market:register). */
  apply(next: MarketStatus): void;
  reload(): void;
}

/** The market's status: read on connect, then kept live by `market:status` events. */
export function useMarketStatus(): MarketView {
  const client = useClient();
  const connected = useHearth((s) => s.connection === 'connected');
  const [status, setStatus] = useState<MarketStatus | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const reload = useCallback(() => {
    client.call('market:status', {}).then(
      (s) => alive.current && (setStatus(s), setError(null)),
      (e: unknown) => alive.current && setError(toCallError(e)),
    );
  }, [client]);
  useEffect(() => {
    if (connected) reload();
  }, [connected, reload]);
  useEvent('market:status', (s) => {
    setStatus(s);
    setError(null);
  });
  const apply = useCallback((next: MarketStatus) => setStatus(next), []);
  return { status, error, apply, reload };
}
