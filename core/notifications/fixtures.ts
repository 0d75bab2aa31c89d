// A market status for tests of what reacts to it (notification rules, the tray).
import type { MarketStatus } from '../../common/ipc/groups/market.ts';

export const WEI = 10n ** 18n;

/** A registered provider waiting for jobs, with `over` on top. */
export function marketStatusOf(over: Partial<MarketStatus> = {}): MarketStatus {
  return {
    state: 'waiting',
    reason: 'Registered in gpu-8gb: watching the market for jobs that pay at least 0.002 HRTH per unit.',
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    registered: true,
    providerId: 7,
    classes: [],
    suggestedClass: 'gpu-8gb',
    currentJob: null,
    waitingForUnlock: 0,
    jobsPaid: 0,
    earnedWei: '0',
    pendingWei: '0',
    lastPaymentAt: null,
    minPricePerUnitWei: (2n * WEI / 1000n).toString(),
    reconciliation: { at: null, ok: true, ledgerWei: '0', chainWei: '0', message: null },
    onboarding: { wallet: 'done', provider: 'done', rules: 'done' },
    ...over,
  };
}
