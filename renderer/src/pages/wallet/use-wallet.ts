import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChainStatus, TxRecordView } from '../../../../common/ipc/groups/chain.ts';
import type { WalletStatus } from '../../../../common/ipc/groups/wallet.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { useEvent } from '../../state/hooks.ts';
import { toCallError, type CallError } from '../../state/store.ts';

export interface WalletData {
  wallet: WalletStatus | null;
  chain: ChainStatus | null;
  txs: TxRecordView[];
  error: CallError | null;
  reload(): void;
  /** Runs one call, keeps `busy` while it runs, and returns its error (or null). */
  run<T>(name: string, action: () => Promise<T>): Promise<{ value: T | null; error: CallError | null }>;
  busy: string | null;
}

/** The Wallet page's data: WalletStatus, the chain status and the history, kept live by core's events. */
export function useWallet(): WalletData {
  const client = useClient();
  const connected = useHearth((s) => s.connection === 'connected');
  const [wallet, setWallet] = useState<WalletStatus | null>(null);
  const [chain, setChain] = useState<ChainStatus | null>(null);
  const [txs, setTxs] = useState<TxRecordView[]>([]);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const reload = useCallback(() => {
    Promise.all([client.call('wallet:status', {}), client.call('chain:status', {}), client.call('chain:transactions', {})]).then(
      ([w, c, t]) => {
        if (!alive.current) return;
        setWallet(w);
        setChain(c);
        setTxs(t);
        setError(null);
      },
      (failure: unknown) => alive.current && setError(toCallError(failure)),
    );
  }, [client]);

  useEffect(() => {
    if (connected) reload();
  }, [connected, reload]);

  useEvent('wallet:status', (next) => setWallet(next));
  useEvent('chain:status', (next) => {
    setChain((previous) => {
      // A network switch, or the chain coming up, changes the history shown: fetch it again.
      if (previous && (previous.network.id !== next.network.id || previous.connection !== next.connection)) reload();
      return next;
    });
  });
  useEvent('chain:transaction', (tx) => {
    setTxs((list) => {
      const index = list.findIndex((t) => t.id === tx.id);
      if (index === -1) return [tx, ...list];
      const copy = [...list];
      copy[index] = tx;
      return copy;
    });
  });

  const run = useCallback(
    async <T>(name: string, action: () => Promise<T>) => {
      setBusy(name);
      try {
        const value = await action();
        return { value, error: null };
      } catch (failure) {
        return { value: null, error: toCallError(failure) };
      } finally {
        if (alive.current) setBusy(null);
      }
    },
    [],
  );

  return { wallet, chain, txs, error, reload, run, busy };
}
