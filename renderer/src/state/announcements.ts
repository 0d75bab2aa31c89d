/**
 * What a screen reader hears when something that matters changes while the user looks
 * elsewhere: earning started, paused or resumed, a payment received, the wallet locked or
 * unlocked. Pure functions over two successive statuses, so the rules are tested without a
 * DOM; Announcer.tsx speaks them. Everything else (idle counters, progress, balances
 * refreshing) stays silent: a live region that chatters gets turned off.
 */
import type { SchedulerStatus } from '../../../common/ipc/groups/scheduler.ts';
import type { MarketStatus } from '../../../common/ipc/groups/market.ts';
import type { WalletStatus } from '../../../common/ipc/groups/wallet.ts';
import { formatToken } from '../pages/market/format.ts';

type SchedulerView = Pick<SchedulerStatus, 'state' | 'job'>;
type MarketView = Pick<MarketStatus, 'jobsPaid' | 'earnedWei'>;
type WalletView = Pick<WalletStatus, 'exists' | 'locked'>;

/**
 * The first status after (re)connecting is the baseline: it says nothing. Practice work is
 * not news (it earns nothing); each new paid job is, also straight after another one.
 */
export function schedulerAnnouncement(prev: SchedulerView | null, next: SchedulerView): string | null {
  if (!prev) return null;
  if (prev.state !== next.state && next.state === 'paused') return 'Earning paused.';
  if (prev.state === 'paused' && next.state !== 'paused') return next.state === 'running' && next.job?.kind === 'paid' ? `Earning resumed: running a paid job, ${next.job.label}.` : 'Earning resumed.';
  const newPaidJob = next.state === 'running' && next.job?.kind === 'paid' && (prev.state !== 'running' || prev.job?.id !== next.job.id);
  return newPaidJob && next.job ? `Earning: running a paid job, ${next.job.label}.` : null;
}

export function marketAnnouncement(prev: MarketView | null, next: MarketView): string | null {
  if (!prev || next.jobsPaid <= prev.jobsPaid) return null;
  const gained = BigInt(next.earnedWei) - BigInt(prev.earnedWei);
  const jobs = next.jobsPaid - prev.jobsPaid;
  const what = jobs === 1 ? 'for a job' : `for ${jobs} jobs`;
  return gained > 0n ? `Payment received: ${formatToken(gained.toString())} ${what}.` : `Payment received ${what}.`;
}

export function walletAnnouncement(prev: WalletView | null, next: WalletView): string | null {
  if (!prev || !prev.exists || !next.exists || prev.locked === next.locked) return null;
  return next.locked ? 'Wallet locked.' : 'Wallet unlocked.';
}

/**
 * Paces what is said: the same sentence twice within `repeatMs` is said once, and sentences
 * closer than `gapMs` wait their turn (the latest of a burst wins), so a flapping state
 * cannot flood the reader.
 */
export function createPacer(say: (text: string) => void, clock: { now(): number; after(ms: number, fn: () => void): () => void }, gapMs = 1500, repeatMs = 10_000) {
  let lastText = '';
  let lastAt = -Infinity;
  let pending: string | null = null;
  let cancel: (() => void) | null = null;
  const flush = () => {
    cancel = null;
    if (pending === null) return;
    const text = pending;
    pending = null;
    if (text === lastText && clock.now() - lastAt < repeatMs) return;
    lastText = text;
    lastAt = clock.now();
    say(text);
  };
  return {
    push(text: string) {
      pending = text;
      if (cancel) return;
      const wait = Math.max(0, lastAt + gapMs - clock.now());
      if (wait === 0) flush();
      else cancel = clock.after(wait, flush);
    },
    stop() {
      cancel?.();
      cancel = null;
      pending = null;
    },
  };
}
