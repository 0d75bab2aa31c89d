import { useCallback, useEffect, useRef, useState } from 'react';
import type { MarketJobView } from '../../../../common/ipc/groups/market.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { useEvent } from '../../state/hooks.ts';
import { toCallError, type CallError } from '../../state/store.ts';

export type JobsFilter = 'all' | 'active' | 'paid' | 'declined' | 'problems';

export const PAGE_SIZE = 50;
export const SEARCH_DELAY_MS = 300;
/** market:status fires on every step of a job; refresh the list at most this often. */
export const LIVE_DELAY_MS = 1000;

export interface JobsList {
  jobs: MarketJobView[];
  total: number;
  loading: boolean;
  loadingMore: boolean;
  error: CallError | null;
  filter: JobsFilter;
  setFilter(filter: JobsFilter): void;
  search: string;
  setSearch(text: string): void;
  /** The search actually sent (after the debounce). */
  query: string;
  loadMore(): void;
  /** Counts live refreshes, so a detail panel can refetch with the list. */
  tick: number;
}

/**
 * The Jobs page's list: filter and (debounced) search, "Load more" paging by `before`,
 * and a debounced refresh of the loaded range on `market:status` so new jobs appear live.
 */
export function useJobs(): JobsList {
  const client = useClient();
  const connected = useHearth((s) => s.connection === 'connected');
  const [filter, setFilter] = useState<JobsFilter>('all');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [jobs, setJobs] = useState<MarketJobView[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [tick, setTick] = useState(0);
  // Each request carries a generation: an answer to an older filter or search is dropped.
  const generation = useRef(0);
  const loaded = useRef(0);
  loaded.current = jobs.length;

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(search.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search]);

  const fetchFirst = useCallback(
    (limit: number, quiet: boolean) => {
      const mine = ++generation.current;
      if (!quiet) setLoading(true);
      client.call('market:jobs', { filter, search: query, limit: Math.max(PAGE_SIZE, Math.min(500, limit)) }).then(
        (page) => {
          if (mine !== generation.current) return;
          setJobs(page.jobs);
          setTotal(page.total);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (mine !== generation.current) return;
          setError(toCallError(e));
          setLoading(false);
        },
      );
    },
    [client, filter, query],
  );

  useEffect(() => {
    if (connected) fetchFirst(PAGE_SIZE, false);
  }, [connected, fetchFirst]);

  const liveTimer = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (liveTimer.current !== null) window.clearTimeout(liveTimer.current);
    },
    [],
  );
  useEvent('market:status', () => {
    if (liveTimer.current !== null) return;
    liveTimer.current = window.setTimeout(() => {
      liveTimer.current = null;
      // Keep what the user has paged in: refetch as many rows as are shown.
      fetchFirst(loaded.current, true);
      setTick((t) => t + 1);
    }, LIVE_DELAY_MS);
  });

  const loadMore = useCallback(() => {
    const last = jobs.at(-1);
    if (!last) return;
    const mine = generation.current;
    setLoadingMore(true);
    client.call('market:jobs', { filter, search: query, limit: PAGE_SIZE, before: last.seenAt }).then(
      (page) => {
        setLoadingMore(false);
        if (mine !== generation.current) return;
        setJobs((list) => {
          const known = new Set(list.map((j) => j.key));
          return [...list, ...page.jobs.filter((j) => !known.has(j.key))];
        });
        setTotal(page.total);
      },
      (e: unknown) => {
        setLoadingMore(false);
        if (mine === generation.current) setError(toCallError(e));
      },
    );
  }, [client, filter, query, jobs]);

  return { jobs, total, loading, loadingMore, error, filter, setFilter, search, setSearch, query, loadMore, tick };
}
