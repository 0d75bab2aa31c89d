import { useEffect, useRef, useState } from 'react';
import { useEvent } from '../state/hooks.ts';
import { useClient, useHearth } from '../state/context.tsx';
import { createPacer, marketAnnouncement, schedulerAnnouncement, walletAnnouncement } from '../state/announcements.ts';

const browserClock = {
  now: () => Date.now(),
  after(ms: number, fn: () => void) {
    const timer = window.setTimeout(fn, ms);
    return () => window.clearTimeout(timer);
  },
};

/**
 * One polite live region for the whole app: earning started, paused or resumed, payments,
 * the wallet locking. It lives in the shell, not in a page, so it speaks whichever page is
 * open; it is rendered empty from the start (a region added with its text is not read).
 */
export function Announcer() {
  const [text, setText] = useState('');
  const connected = useHearth((state) => state.connection === 'connected');
  const last = useRef<{ scheduler: Parameters<typeof schedulerAnnouncement>[0]; market: Parameters<typeof marketAnnouncement>[0]; wallet: Parameters<typeof walletAnnouncement>[0] }>({
    scheduler: null,
    market: null,
    wallet: null,
  });
  const pacer = useRef<ReturnType<typeof createPacer> | null>(null);
  pacer.current ??= createPacer(setText, browserClock);
  useEffect(() => () => pacer.current?.stop(), []);
  // On each (re)connect the baselines are read afresh: what changed while away is not news,
  // and the first change after connecting is compared with them.
  const client = useClient();
  useEffect(() => {
    last.current = { scheduler: null, market: null, wallet: null };
    if (!connected) return;
    const seed = <K extends keyof typeof last.current>(key: K, read: Promise<NonNullable<(typeof last.current)[K]>>) =>
      read.then(
        (value) => {
          last.current[key] ??= value;
        },
        () => undefined, // a call that fails (no market yet) leaves the next event as the baseline
      );
    void seed('scheduler', client.call('scheduler:status', {}));
    void seed('market', client.call('market:status', {}));
    void seed('wallet', client.call('wallet:status', {}));
  }, [connected, client]);

  const hear = (message: string | null) => {
    if (message) pacer.current?.push(message);
  };
  useEvent('scheduler:status', (s) => {
    hear(schedulerAnnouncement(last.current.scheduler, s));
    last.current.scheduler = s;
  });
  useEvent('market:status', (s) => {
    hear(marketAnnouncement(last.current.market, s));
    last.current.market = s;
  });
  useEvent('wallet:status', (s) => {
    hear(walletAnnouncement(last.current.wallet, s));
    last.current.wallet = s;
  });

  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}
