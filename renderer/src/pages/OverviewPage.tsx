import { useHearth } from '../state/context.tsx';
import { formatDuration, formatTimestamp } from '../state/format.ts';
import { Button, Card, Notice, PageHeader, Spinner, Stat, StatGrid, StatusPill } from '../ui/index.ts';
import { FlameIcon, MonitorIcon, RefreshIcon, ServerIcon } from '../ui/icons.tsx';
import { EarningCard } from './overview/EarningCard.tsx';

const shellLabel = { desktop: 'Desktop app', daemon: 'Headless daemon' } as const;

export function OverviewPage() {
  const status = useHearth((state) => state.status);
  const error = useHearth((state) => state.statusError);
  const refresh = useHearth((state) => state.refreshStatus);

  return (
    <>
      <PageHeader
        title="Overview"
        description="How this machine is doing on the Hearth network."
        actions={
          <Button variant="ghost" size="sm" icon={<RefreshIcon size={16} />} onClick={() => void refresh()}>
            Refresh
          </Button>
        }
      />

      <section className="hero" aria-labelledby="hero-title">
        <div className="hero__main">
          <div className="hero__icon" aria-hidden="true">
            <FlameIcon size={26} />
          </div>
          <div>
            <div className="hero__eyebrow">
              <StatusPill status="idle">Not earning</StatusPill>
            </div>
            <h2 className="hero__title" id="hero-title">
              Hearth is working for practice, not for pay yet
            </h2>
            <p className="hero__text">
              It already finds your devices, waits until the machine is truly free and runs a real model while you are away, giving the machine back the
              moment you return. Paid jobs from the on-chain market arrive in a later version; until then nothing shown here is earnings.
            </p>
          </div>
        </div>
      </section>

      <EarningCard />

      {error && (
        <Notice
          tone="error"
          title="Could not read Hearth's status"
          action={
            <Button size="sm" onClick={() => void refresh()}>
              Try again
            </Button>
          }
        >
          {error.message}
        </Notice>
      )}

      {status?.warnings.map((warning) => (
        <Notice key={warning} tone="warn" title="Needs your attention">
          {warning}
        </Notice>
      ))}

      <Card
        title="This installation"
        description="Read from the Hearth engine just now."
        actions={status ? <StatusPill status="ok">Running</StatusPill> : undefined}
      >
        {status ? (
          <StatGrid columns={3}>
            <Stat label="Version" value={status.version} />
            <Stat
              label="Running as"
              value={
                <span className="inline-icon">
                  {status.shell === 'desktop' ? <MonitorIcon size={16} /> : <ServerIcon size={16} />}
                  {shellLabel[status.shell]}
                </span>
              }
            />
            <Stat label="Uptime" value={<span data-testid="uptime">{formatDuration(status.uptimeSeconds)}</span>} hint={`since ${formatTimestamp(status.startedAt)}`} />
            <Stat label="Platform" value={status.platform} />
            <Stat label="Runtime" value={status.runtime} />
            <Stat label="Data folder" value={status.dataDir} mono />
          </StatGrid>
        ) : error ? (
          <p className="muted">No status to show.</p>
        ) : (
          <div className="loading-row">
            <Spinner /> Loading status…
          </div>
        )}
      </Card>
    </>
  );
}
