/**
 * What the tray shows: one of four states with a title and the reason, read from core's
 * scheduler and market statuses. Pure, so the mapping is tested without Electron.
 */
import type { MarketStatus } from '../common/ipc/groups/market.ts';
import type { SchedulerStatus } from '../common/ipc/groups/scheduler.ts';

export type TrayState = 'waiting' | 'earning' | 'paused' | 'attention';
export const TRAY_STATES: readonly TrayState[] = ['waiting', 'earning', 'paused', 'attention'];

export interface TrayView {
  state: TrayState;
  /** "Earning", "Paused"… */
  title: string;
  /** One sentence: why, or what to do. */
  reason: string;
}

const TITLES: Record<TrayState, string> = { waiting: 'Waiting', earning: 'Earning', paused: 'Paused', attention: 'Needs attention' };

/** Market states that stop paid work until the user acts. */
const NEEDS_ACTION: ReadonlySet<MarketStatus['state']> = new Set(['no-network', 'no-contracts', 'no-wallet', 'locked', 'unregistered']);

const view = (state: TrayState, reason: string): TrayView => ({ state, title: TITLES[state], reason });

/**
 * Paused (by the user) wins, then anything that needs the user, then earning (a paid job
 * in progress), else waiting with the scheduler's reason. A user who skipped becoming a
 * provider is not nagged about it: Hearth runs practice work for them, which is waiting.
 */
export function trayViewOf(scheduler: SchedulerStatus | null, market: MarketStatus | null): TrayView {
  if (!scheduler && !market) return view('waiting', 'Hearth is starting.');
  if (scheduler?.state === 'paused') return view('paused', scheduler.reason);
  if (market) {
    const skipped = market.state === 'unregistered' && market.onboarding.provider === 'skipped';
    if (NEEDS_ACTION.has(market.state) && !skipped) return view('attention', market.reason);
    if (!market.reconciliation.ok) return view('attention', market.reconciliation.message ?? 'Your earnings record differs from the chain: open Hearth to see the difference.');
    if (market.state === 'working') return view('earning', market.reason);
  }
  if (scheduler?.job?.kind === 'paid') return view('earning', scheduler.reason);
  return view('waiting', scheduler?.reason ?? market?.reason ?? 'Hearth is starting.');
}

/**
 * The icon file for a state. macOS gets template images (black with alpha, named
 * …Template.png so the system tints them for the menu bar); Windows and Linux get a
 * drawing for the task bar's colour. Electron picks the @2x file beside it on HiDPI screens.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform, darkTaskbar: boolean): string {
  if (platform === 'darwin') return `tray-${state}Template.png`;
  return `tray-${state}-${darkTaskbar ? 'dark' : 'light'}.png`;
}
