/**
 * Which notifications Hearth sends: a few things a person would want to hear about while
 * the window is closed, found by comparing one market status with the next. Pure; the
 * rate limit and the settings switches are in `createNotificationRules` below.
 */
import type { MarketStatus } from '../../common/ipc/groups/market.ts';
import type { Settings } from '../../common/settings.ts';
import type { Clock, Logger, Notifier } from '../ports.ts';

export type NoteKind = 'firstPayment' | 'attention' | 'walletLocked';
export interface Note {
  kind: NoteKind;
  title: string;
  body: string;
}

/** At most one notification of a kind per hour, so a flapping state never becomes a storm. */
export const MIN_GAP_MS = 3_600_000;
/** A payment older than this when first seen (a ledger opened late, a wallet switched) is history, not news. */
export const FRESH_PAYMENT_MS = 10 * 60_000;

const EARNING: ReadonlySet<MarketStatus['state']> = new Set(['waiting', 'working']);

/** Whole tokens with up to 6 decimals, e.g. "0.0031". */
export function tokens(wei: string): string {
  const value = BigInt(wei);
  const whole = value / 10n ** 18n;
  const frac = (value % 10n ** 18n).toString().padStart(18, '0').slice(0, 6).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** The notes worth sending for the change from `prev` to `next` (nothing on the first status seen). */
export function notesFor(prev: MarketStatus | null, next: MarketStatus, now: number): Note[] {
  if (!prev) return [];
  const notes: Note[] = [];
  if (prev.jobsPaid === 0 && next.jobsPaid > 0 && next.lastPaymentAt !== null && now - next.lastPaymentAt <= FRESH_PAYMENT_MS) {
    notes.push({ kind: 'firstPayment', title: 'Your first payment arrived', body: `Hearth earned ${tokens(next.earnedWei)} HRTH for its first paid job. It keeps earning while you are away.` });
  }
  const lockedWaiting = (s: MarketStatus) => s.state === 'locked' && s.waitingForUnlock > 0;
  if (lockedWaiting(next) && !lockedWaiting(prev)) {
    const n = next.waitingForUnlock;
    notes.push({ kind: 'walletLocked', title: 'Earnings are waiting for your wallet', body: `${n} paid job${n === 1 ? '' : 's'} can't go on while the wallet is locked. Open Hearth and unlock it.` });
  }
  const attention = attentionOf(prev, next);
  if (attention) notes.push({ kind: 'attention', ...attention });
  return notes;
}

/** An error that stops earning and needs the user: the network lost, stake gone, the ledger and chain disagreeing. */
function attentionOf(prev: MarketStatus, next: MarketStatus): { title: string; body: string } | null {
  if (EARNING.has(prev.state) && next.state === 'no-network') return { title: 'Hearth lost its network', body: next.reason };
  if (EARNING.has(prev.state) && next.state === 'unregistered') return { title: 'Hearth stopped taking paid jobs', body: next.reason };
  if (prev.reconciliation.ok && !next.reconciliation.ok) {
    return { title: 'Your earnings record differs from the chain', body: next.reconciliation.message ?? 'Open Hearth: the Overview shows the difference.' };
  }
  return null;
}

const SWITCH: Record<NoteKind, keyof Settings['general']> = {
  firstPayment: 'notifyFirstPayment',
  attention: 'notifyAttention',
  walletLocked: 'notifyWalletLocked',
};

/**
 * Feeds core's events through the rules: sends what the user's switches allow, at most one
 * per kind per MIN_GAP_MS by the clock. Returns the observer for the provider's emit.
 */
export function createNotificationRules(deps: { clock: Clock; notifier: Notifier; logger: Logger; general: () => Settings['general'] }) {
  let last: MarketStatus | null = null;
  const sentAt = new Map<NoteKind, number>();
  return {
    observe(event: string, payload: unknown): void {
      if (event !== 'market:status') return;
      // Already checked against the contract by the provider's emit.
      const next = payload as MarketStatus;
      const now = deps.clock.now();
      const notes = notesFor(last, next, now);
      last = next;
      const general = deps.general();
      for (const note of notes) {
        if (!general.notifications || general[SWITCH[note.kind]] === false) continue;
        const previous = sentAt.get(note.kind);
        // A clock set back (by hand, by NTP after a wrong RTC) leaves `previous` in the future:
        // the gap counts as passed, or the kind would stay silent until the clock caught up.
        if (previous !== undefined && now >= previous && now - previous < MIN_GAP_MS) continue;
        sentAt.set(note.kind, now);
        try {
          deps.notifier.notify({ title: note.title, body: note.body });
        } catch (error) {
          // A notification the OS refuses must never break the event that caused it.
          deps.logger.warn('notification failed', { error: String(error) });
        }
      }
    },
  };
}
