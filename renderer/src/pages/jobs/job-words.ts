import type { MarketJobState } from '../../../../common/ipc/groups/market.ts';
import type { PillStatus } from '../../ui/index.ts';

/** Each ledger state as the Jobs page shows it: a short label and the pill's colour. */
export const jobStateLook: Record<MarketJobState, { label: string; pill: PillStatus }> = {
  seen: { label: 'Seen', pill: 'idle' },
  declined: { label: 'Declined', pill: 'idle' },
  claiming: { label: 'Claiming', pill: 'ok' },
  claimed: { label: 'Claimed', pill: 'ok' },
  fetching: { label: 'Fetching input', pill: 'ok' },
  running: { label: 'Running', pill: 'ok' },
  delivering: { label: 'Delivering', pill: 'ok' },
  committing: { label: 'Committing', pill: 'ok' },
  committed: { label: 'Awaiting payment', pill: 'ok' },
  settling: { label: 'Settling', pill: 'ok' },
  paid: { label: 'Paid', pill: 'ok' },
  disputed: { label: 'Disputed', pill: 'warn' },
  faulted: { label: 'Lost dispute', pill: 'error' },
  expired: { label: 'Missed deadline', pill: 'error' },
  abandoned: { label: 'Abandoned', pill: 'warn' },
  failed: { label: 'Failed', pill: 'error' },
};

/** What each step of a job's life means, for the timeline. */
export const eventLabel: Record<MarketJobState, string> = {
  seen: 'Seen on the market',
  declined: 'Declined',
  claiming: 'Decided to take it',
  claimed: 'Claimed on chain',
  fetching: 'Fetched the input',
  running: 'Ran',
  delivering: 'Delivered the result',
  committing: 'Committing the result',
  committed: 'Committed on chain',
  settling: 'Settling',
  paid: 'Paid',
  disputed: 'Disputed by the requester',
  faulted: 'Dispute lost',
  expired: 'Deadline missed',
  abandoned: 'Abandoned',
  failed: 'Failed',
};

/** States whose reason the user must see, with a plain sentence when core gave none. */
export const problemFallback: Partial<Record<MarketJobState, string>> = {
  declined: 'Hearth chose not to take this job.',
  failed: 'The job did not finish on this machine.',
  abandoned: 'Hearth gave this job up before doing the work, so nothing was lost.',
  expired: 'The result was not committed before the deadline, so a penalty was taken from the stake.',
  faulted: 'A dispute about the result went against this machine, so part of the stake was taken.',
  disputed: 'The requester disputed the result; the market decides.',
};

/** "2.4 s", "1 min 12 s". */
export function formatRunTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** "14:02:31" today (without seconds for tables), "30 Nov, 14:02" otherwise. */
export function formatWhen(ms: number, now = Date.now(), seconds = true): string {
  const date = new Date(ms);
  const today = new Date(now).toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(undefined, seconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** The heading over a job's reason. */
export const reasonTitle: Partial<Record<MarketJobState, string>> = {
  declined: 'Why Hearth declined it',
  failed: 'Why it failed',
  abandoned: 'Why it was given up',
  expired: 'Why the deadline was missed',
  faulted: 'Why the dispute was lost',
  disputed: 'Why it is disputed',
};
