import { useCallback, useEffect, useRef, useState } from 'react';
import type { BenchmarkStatus, HardwareInventory, TelemetrySample } from '../../../../common/hardware.ts';
import type { HardwareView } from '../../../../common/ipc/groups/hardware.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { useEvent } from '../../state/hooks.ts';
import { toCallError, type CallError } from '../../state/store.ts';

/** How many live samples the page keeps for its charts (about two minutes at 1 Hz). */
export const CHART_SAMPLES = 120;
/** The foreground lease in core lasts 30 s; renew well before it runs out. */
const RENEW_MS = 10_000;

export interface HardwareState {
  view: HardwareView | null;
  inventory: HardwareInventory | null;
  samples: TelemetrySample[];
  benchmark: BenchmarkStatus | null;
  error: CallError | null;
  refreshing: boolean;
  refresh(): void;
  runBenchmark(deviceId: string): Promise<void>;
}

/**
 * The Devices page's data: the view from core, live samples from `hardware:telemetry`,
 * and the foreground lease that makes core sample once a second while the page is
 * visible (and fall back to slow sampling when it is hidden or closed).
 */
export function useHardware(): HardwareState {
  const client = useClient();
  const connected = useHearth((s) => s.connection === 'connected');
  const [view, setView] = useState<HardwareView | null>(null);
  const [inventory, setInventory] = useState<HardwareInventory | null>(null);
  const [samples, setSamples] = useState<TelemetrySample[]>([]);
  const [benchmark, setBenchmark] = useState<BenchmarkStatus | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const accept = useCallback((v: HardwareView) => {
    if (!alive.current) return;
    setView(v);
    setInventory(v.inventory);
    setBenchmark(v.benchmark);
    setError(null);
  }, []);

  useEffect(() => {
    if (!connected) return;
    client.call('hardware:list', {}).then(accept, (e: unknown) => alive.current && setError(toCallError(e)));
    client.call('hardware:history', { limit: CHART_SAMPLES }).then(
      (h) => alive.current && setSamples((live) => [...h.recent, ...live.filter((s) => s.at > (h.recent.at(-1)?.at ?? 0))].slice(-CHART_SAMPLES)),
      () => undefined,
    );
  }, [client, connected, accept]);

  // Foreground while this page is mounted and the document visible.
  useEffect(() => {
    if (!connected) return undefined;
    const say = (rate: 'foreground' | 'background') => void client.call('hardware:set-rate', { rate }).catch(() => undefined);
    const update = () => say(document.visibilityState === 'hidden' ? 'background' : 'foreground');
    update();
    const timer = window.setInterval(() => document.visibilityState !== 'hidden' && say('foreground'), RENEW_MS);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', update);
      say('background');
    };
  }, [client, connected]);

  useEvent('hardware:telemetry', (s) => setSamples((prev) => [...prev, s].slice(-CHART_SAMPLES)));
  useEvent('hardware:inventory', (inv) => setInventory(inv));
  useEvent('hardware:benchmark-progress', (b) => {
    setBenchmark(b);
    // A finished run changed the stored scores: fetch them.
    if (b.state === 'done' || b.state === 'failed') client.call('hardware:list', {}).then(accept, () => undefined);
  });

  const refresh = useCallback(() => {
    setRefreshing(true);
    client
      .call('hardware:refresh', {})
      .then(accept, (e: unknown) => alive.current && setError(toCallError(e)))
      .finally(() => alive.current && setRefreshing(false));
  }, [client, accept]);

  const runBenchmark = useCallback(
    async (deviceId: string) => {
      try {
        setBenchmark(await client.call('hardware:benchmark', { deviceId }));
      } catch (e) {
        if (alive.current) setError(toCallError(e));
      }
    },
    [client],
  );

  return { view, inventory, samples, benchmark, error, refreshing, refresh, runBenchmark };
}
