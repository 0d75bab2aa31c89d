import { useCallback, useEffect, useRef, useState } from 'react';
import type { SchedulerStatus } from '../../../../common/ipc/groups/scheduler.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { useEvent } from '../../state/hooks.ts';
import { toCallError, type CallError } from '../../state/store.ts';

export interface SchedulerView {
  status: SchedulerStatus | null;
  error: CallError | null;
  busy: boolean;
  pause: (duration: 'hour' | 'tomorrow' | 'resume', finishCurrent: boolean) => void;
  resume: () => void;
}

/** The scheduler's status: read on connect, then kept live by `scheduler:status` events. */
export function useScheduler(): SchedulerView {
  const client = useClient();
  const connected = useHearth((s) => s.connection === 'connected');
  const [status, setStatus] = useState<SchedulerStatus | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  useEffect(() => {
    if (!connected) return;
    client.call('scheduler:status', {}).then(
      (s) => alive.current && (setStatus(s), setError(null)),
      (e: unknown) => alive.current && setError(toCallError(e)),
    );
  }, [client, connected]);
  useEvent('scheduler:status', (s) => setStatus(s));

  const act = useCallback(
    (call: () => Promise<SchedulerStatus>) => {
      setBusy(true);
      call().then(
        (s) => {
          if (!alive.current) return;
          setStatus(s);
          setError(null);
          setBusy(false);
        },
        (e: unknown) => {
          if (!alive.current) return;
          setError(toCallError(e));
          setBusy(false);
        },
      );
    },
    [],
  );
  return {
    status,
    error,
    busy,
    pause: (duration, finishCurrent) => act(() => client.call('scheduler:pause', { duration, finishCurrent })),
    resume: () => act(() => client.call('scheduler:resume', {})),
  };
}
