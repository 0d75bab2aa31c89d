import type { MarketStatus } from '../../../../common/ipc/groups/market.ts';
import { Notice } from '../../ui/index.ts';
import { UnlockInline } from './UnlockInline.tsx';

/** A locked wallet costs money when jobs wait: say so plainly, with the unlock right here. */
export function LockedBanner({ status }: { status: MarketStatus }) {
  if (status.state !== 'locked' && status.waitingForUnlock === 0) return null;
  const waiting = status.waitingForUnlock;
  return (
    <div data-testid="locked-banner">
      <Notice tone="warn" title={waiting > 0 ? `${waiting} ${waiting === 1 ? 'job is' : 'jobs are'} waiting for your wallet` : 'Your wallet is locked'}>
        <p>
          Hearth needs the wallet unlocked to claim jobs and sign results. {waiting > 0 ? 'Jobs left waiting too long go to another provider, and a claimed job past its deadline costs part of your stake.' : 'Until then it cannot take paid jobs.'}
        </p>
        <UnlockInline />
      </Notice>
    </div>
  );
}
