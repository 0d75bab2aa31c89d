import { useState } from 'react';
import { useClient, useHearth } from '../state/context.tsx';
import { formatDuration, formatTimestamp } from '../state/format.ts';
import { Button, Card, Notice, PageHeader, Spinner, Stat, StatGrid, StatusPill } from '../ui/index.ts';
import { MonitorIcon, RefreshIcon, ServerIcon } from '../ui/icons.tsx';
import { LockedBanner } from './market/LockedBanner.tsx';
import { useMarketStatus } from './market/use-market.ts';
import { EarningsSummaryCard } from './overview/EarningsSummaryCard.tsx';
import { MarketHero } from './overview/MarketHero.tsx';
import { Onboarding, useOnboarding } from './overview/onboarding/Onboarding.tsx';
import { useScheduler } from './overview/use-scheduler.ts';
import { EarningCard } from './overview/EarningCard.tsx';

const shellLabel = { desktop: 'Desktop app', daemon: 'Headless daemon' } as const;

export function OverviewPage() {
  const status = useHearth((state) => state.status);
  const error = useHearth((state) => state.statusError);
  const refresh = useHearth((state) => state.refreshStatus);
  const client = useClient();
  const market = useMarketStatus();
  const scheduler = useScheduler();
  const onboarding = useOnboarding(market.status);
  // While the card walks through the wallet or registering, the headline would only repeat it.
  const heroShown = !(onboarding?.active === 'wallet' || onboarding?.active === 'provider');
  // Nothing earned and not registered yet: an empty chart tells a new user nothing.
  const earningsShown = market.status !== null && (market.status.registered || market.status.jobsPaid > 0 || market.status.earnedWei !== '0');
  const [reconciling, setReconciling] = useState(false);
  const reconcile = async () => {
    setReconciling(true);
    try {
      market.apply(await client.call('market:reconcile', {}));
    } catch {
      // The status event or the next read shows the outcome; the button just stops spinning.
    } finally {
      setReconciling(false);
    }
  };

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

      {market.status && <LockedBanner status={market.status} />}
      {market.status && onboarding && <Onboarding status={market.status} flow={onboarding} onStatus={market.apply} />}
      {market.status ? (
        heroShown && <MarketHero status={market.status} scheduler={scheduler.status} />
      ) : (
        market.error && (
          <Notice tone={market.error.code === 'market_unavailable' ? 'info' : 'error'} title="The job market is not available">
            {market.error.message}
          </Notice>
        )
      )}

      <EarningCard />

      {market.status && earningsShown && <EarningsSummaryCard status={market.status} onReconcile={() => void reconcile()} reconciling={reconciling} />}

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
