import { useCallback, useEffect, useRef, useState } from 'react';
import type { PositionSample, PositionsView } from '../../../../common/ipc/groups/positions.ts';
import type { WalletStatus } from '../../../../common/ipc/groups/wallet.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { useEvent } from '../../state/hooks.ts';
import { toCallError, type CallError } from '../../state/store.ts';

/** How often the figures are read again while the page is open: jobs settle and interest accrues by the block. */
export const POLL_MS = 5000;
/** The history changes by the ledger's samples, far slower than the figures. */
export const HISTORY_POLL_MS = 60_000;
export const HISTORY_DAYS = [7, 30, 90] as const;
export type HistoryDays = (typeof HISTORY_DAYS)[number];

export interface PositionsData {
  view: PositionsView | null;
  /** The last read's failure; the previous view (if any) stays on screen, marked stale. */
  error: CallError | null;
  samples: PositionSample[] | null;
  historyError: CallError | null;
  days: HistoryDays;
  setDays(days: HistoryDays): void;
  wallet: WalletStatus | null;
  /** Reads the view and the history again now. */
  reload(): void;
  /** Takes the view an action returned, and reads the history again. */
  apply(view: PositionsView): void;
}

/** The Earn page's data: positions:get every few seconds, positions:history, and the wallet's lock state. */
export function usePositions(): PositionsData {
  const client = useClient();
  const connected = useHearth((s) => s.connection === 'connected');
  const [view, setView] = useState<PositionsView | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [samples, setSamples] = useState<PositionSample[] | null>(null);
  const [historyError, setHistoryError] = useState<CallError | null>(null);
  const [days, setDays] = useState<HistoryDays>(30);
  const [wallet, setWallet] = useState<WalletStatus | null>(null);
  const alive = useRef(true);
  // A slow answer must not overwrite a newer one (an action's result, a later poll).
  const viewGeneration = useRef(0);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const readView = useCallback(() => {
    const mine = ++viewGeneration.current;
    client.call('positions:get', {}).then(
      (next) => {
        if (!alive.current || mine !== viewGeneration.current) return;
        setView(next);
        setError(null);
      },
      (failure: unknown) => alive.current && mine === viewGeneration.current && setError(toCallError(failure)),
    );
  }, [client]);

  const readHistory = useCallback(() => {
    client.call('positions:history', { days }).then(
      (answer) => {
        if (!alive.current) return;
        setSamples(answer.samples);
        setHistoryError(null);
      },
      (failure: unknown) => alive.current && setHistoryError(toCallError(failure)),
    );
  }, [client, days]);

  const readWallet = useCallback(() => {
    client.call('wallet:status', {}).then(
      (w) => alive.current && setWallet(w),
      () => undefined, // The view's `missing` says what is wrong; the lock state is a bonus.
    );
  }, [client]);

  useEffect(() => {
    if (!connected) return undefined;
    readView();
    readWallet();
    const timer = window.setInterval(readView, POLL_MS);
    return () => window.clearInterval(timer);
  }, [connected, readView, readWallet]);

  useEffect(() => {
    if (!connected) return undefined;
    readHistory();
    const timer = window.setInterval(readHistory, HISTORY_POLL_MS);
    return () => window.clearInterval(timer);
  }, [connected, readHistory]);

  useEvent('wallet:status', (next) => {
    setWallet((previous) => {
      // Unlocking, switching account or network changes what there is to show.
      if (previous && (previous.locked !== next.locked || previous.selected !== next.selected || previous.chainId !== next.chainId)) {
        readView();
        readHistory();
      }
      return next;
    });
  });

  const reload = useCallback(() => {
    readView();
    readHistory();
    readWallet();
  }, [readView, readHistory, readWallet]);

  const apply = useCallback(
    (next: PositionsView) => {
      viewGeneration.current++;
      setView(next);
      setError(null);
      readHistory();
      readWallet();
    },
    [readHistory, readWallet],
  );

  return { view, error, samples, historyError, days, setDays, wallet, reload, apply };
}
