import type { MarketState, MarketStatus } from '../../../../common/ipc/groups/market.ts';
import type { SchedulerStatus } from '../../../../common/ipc/groups/scheduler.ts';
import { hrefFor } from '../../app/router.ts';
import { ProgressBar, StatusPill, type PillStatus } from '../../ui/index.ts';
import { FlameIcon } from '../../ui/icons.tsx';
import { formatDuration } from '../../state/format.ts';
import { jobStateLook } from '../jobs/job-words.ts';

interface Look {
  pill: PillStatus;
  label: string;
  title: string;
  /** Where the user fixes it, when there is something to fix. */
  fix?: { href: string; label: string };
}

const looks: Record<MarketState, Look> = {
  'no-network': { pill: 'error', label: 'Offline', title: 'Hearth cannot reach the network', fix: { href: hrefFor('wallet'), label: 'Check the network' } },
  'no-contracts': { pill: 'warn', label: 'No market here', title: 'This network has no Hearth market', fix: { href: hrefFor('wallet'), label: 'Choose another network' } },
  'no-wallet': { pill: 'idle', label: 'Not earning', title: 'Set up a wallet to start earning', fix: { href: hrefFor('wallet'), label: 'Set up the wallet' } },
  locked: { pill: 'warn', label: 'Wallet locked', title: 'Unlock the wallet to take paid jobs' },
  unregistered: { pill: 'idle', label: 'Not earning', title: 'Register this machine to take paid jobs' },
  off: { pill: 'idle', label: 'Paid work off', title: 'Paid work is turned off', fix: { href: hrefFor('settings', 'market'), label: 'Turn it on in Settings' } },
  waiting: { pill: 'ok', label: 'Ready', title: 'Ready for paid jobs' },
  working: { pill: 'ok', label: 'Earning', title: 'Earning now' },
};

/** While the market is ready, the scheduler says whether the machine is free to take a job. */
function readyTitle(scheduler: SchedulerStatus | null): { title: string; label: string; pill: PillStatus } | null {
  if (!scheduler) return null;
  switch (scheduler.state) {
    case 'waiting':
      return { title: 'Waiting for you to step away', label: 'Waiting for idle', pill: 'idle' };
    case 'paused':
      return { title: 'Paused by you', label: 'Paused', pill: 'idle' };
    case 'blocked':
    case 'cooling':
      return { title: 'Held back for now', label: 'Paused automatically', pill: 'warn' };
    case 'running':
    case 'ready':
      return { title: 'Looking for paid jobs', label: 'Ready', pill: 'ok' };
    default:
      return null;
  }
}

/** The Overview's headline: what Hearth is doing on the market now, and why. */
export function MarketHero({ status, scheduler }: { status: MarketStatus; scheduler: SchedulerStatus | null }) {
  const base = looks[status.state];
  const ready = status.state === 'waiting' ? readyTitle(scheduler) : null;
  const title = ready?.title ?? base.title;
  const job = status.currentJob;
  // The job's step in the Jobs page's words ("fetching input", "awaiting payment"), not core's state names.
  const step = job ? jobStateLook[job.state].label.toLowerCase() : '';
  return (
    <section className="hero" aria-labelledby="hero-title" data-testid="market-hero" data-state={status.state}>
      <div className="hero__main">
        <div className="hero__icon" aria-hidden="true">
          <FlameIcon size={26} />
        </div>
        <div className="hero__body">
          <div className="hero__eyebrow">
            <StatusPill status={ready?.pill ?? base.pill} pulse={status.state === 'working'}>
              {ready?.label ?? base.label}
            </StatusPill>
          </div>
          <h2 className="hero__title" id="hero-title">
            {title}
          </h2>
          <p className="hero__text" data-testid="market-reason">
            {status.reason}
            {ready && scheduler && scheduler.state !== 'running' ? ` ${scheduler.reason}.`.replace(/\.\.$/, '.') : ''}
          </p>
          {base.fix && (
            <p className="hero__fix">
              <a href={base.fix.href}>{base.fix.label}</a>
            </p>
          )}
          {job && (
            <div className="current-job" data-testid="current-job">
              <p className="current-job__line">
                <strong>{job.model}</strong> · job {job.jobId} · {job.units} units · {step} · for {formatDuration((Date.now() - job.startedAt) / 1000)}
              </p>
              <ProgressBar value={job.progress} label={`Job ${job.jobId} progress`} detail={job.progress === null ? step : undefined} />
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
