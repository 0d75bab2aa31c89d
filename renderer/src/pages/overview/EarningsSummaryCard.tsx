import { useEffect, useRef } from 'react';
import type { EarningsSummary, MarketStatus } from '../../../../common/ipc/groups/market.ts';
import { hrefFor } from '../../app/router.ts';
import { useCall } from '../../state/hooks.ts';
import { Button, Card, Notice, Spinner, Stat, StatGrid } from '../../ui/index.ts';
import { exactToken, formatAgo, formatToken } from '../market/format.ts';
import { electricityOver, netWei } from './chart-data.ts';
import { EarningsChart } from './EarningsChart.tsx';

function netHint(earnedWei: string, electricityWei: string | null) {
  const net = netWei(earnedWei, electricityWei);
  if (!net || electricityWei === null) return 'electricity price not set';
  return net.loss ? `${formatToken(net.wei)} less than the power cost` : `${formatToken(net.wei)} after ${formatToken(electricityWei)} electricity`;
}

/** Earnings today / 7 / 30 days, the 30-day chart, and the market facts behind them. */
export function EarningsSummaryCard({ status, onReconcile, reconciling }: { status: MarketStatus; onReconcile: () => void; reconciling: boolean }) {
  // Refetched when a job is paid: jobsPaid is in the key.
  const earnings = useCall('market:earnings', {}, {});
  const paidKey = status.jobsPaid;
  return (
    <Card title="Earnings" description="Paid to your wallet, after the protocol fee. Network fees are paid separately in ETH." data-testid="earnings-card">
      <EarningsBody summary={earnings.data} error={earnings.error?.message ?? null} refreshKey={paidKey} refresh={earnings.refresh} />
      <MarketFacts status={status} />
      <Reconciliation status={status} onReconcile={onReconcile} reconciling={reconciling} />
    </Card>
  );
}

function EarningsBody({ summary, error, refreshKey, refresh }: { summary: EarningsSummary | null; error: string | null; refreshKey: number; refresh: () => void }) {
  useRefreshOn(refreshKey, refresh);
  if (error && !summary) return <Notice tone="error" title="Could not read the earnings">{error}</Notice>;
  if (!summary) {
    return (
      <div className="loading-row">
        <Spinner /> Loading earnings…
      </div>
    );
  }
  return (
    <>
      <StatGrid columns={3}>
        <Stat size="lg" label="Today" value={<span data-testid="earned-today">{formatToken(summary.todayWei)}</span>} hint={netHint(summary.todayWei, electricityOver(summary.days, 1))} />
        <Stat size="lg" label="Last 7 days" value={<span data-testid="earned-week">{formatToken(summary.weekWei)}</span>} hint={netHint(summary.weekWei, electricityOver(summary.days, 7))} />
        <Stat size="lg" label="Last 30 days" value={<span data-testid="earned-month">{formatToken(summary.monthWei)}</span>} hint={netHint(summary.monthWei, summary.electricityMonthWei)} />
      </StatGrid>
      <EarningsChart days={summary.days} />
    </>
  );
}

/** Calls `refresh` when `key` changes after the first render. */
function useRefreshOn(key: number, refresh: () => void) {
  const first = useRef(key);
  useEffect(() => {
    if (key !== first.current) {
      first.current = key;
      refresh();
    }
  }, [key, refresh]);
}

function MarketFacts({ status }: { status: MarketStatus }) {
  const mine = status.classes.find((c) => c.eligible) ?? status.classes.find((c) => c.classLabel === status.suggestedClass) ?? status.classes[0];
  const below = mine ? BigInt(mine.priceWei) < BigInt(status.minPricePerUnitWei) : false;
  return (
    <StatGrid columns={4}>
      <Stat
        label={mine ? `Price per unit in ${mine.classLabel}` : 'Price per unit'}
        value={<span data-testid="market-price">{mine ? formatToken(mine.priceWei, 6) : '—'}</span>}
        hint={
          <>
            your minimum {formatToken(status.minPricePerUnitWei, 6)}
            {below ? ' · the market pays less, so Hearth waits' : ''} · <a href={hrefFor('settings', 'market')}>Change</a>
          </>
        }
      />
      <Stat label="Jobs paid" value={<span data-testid="jobs-paid">{status.jobsPaid}</span>} hint={status.lastPaymentAt ? `last ${formatAgo(status.lastPaymentAt)}` : 'none yet'} />
      <Stat label="Pending payment" value={<span data-testid="pending">{formatToken(status.pendingWei)}</span>} hint="results committed, waiting to settle" />
      <Stat
        label="Earned in all"
        value={
          <span data-testid="earned-total" data-wei={status.earnedWei} title={exactToken(status.earnedWei)}>
            {formatToken(status.earnedWei)}
          </span>
        }
        hint={<a href={hrefFor('jobs')}>See every job</a>} />
    </StatGrid>
  );
}

function Reconciliation({ status, onReconcile, reconciling }: { status: MarketStatus; onReconcile: () => void; reconciling: boolean }) {
  const r = status.reconciliation;
  const check = (
    <Button size="sm" busy={reconciling} onClick={onReconcile}>
      Check again
    </Button>
  );
  if (!r.ok) {
    return (
      <div data-testid="reconciliation-warning">
        <Notice tone="error" title="Your payment records and the chain disagree" action={check}>
          <p>
            Hearth&apos;s ledger says {formatToken(r.ledgerWei)}; the chain&apos;s settlements add up to {formatToken(r.chainWei)}.
            {r.message ? ` ${r.message}` : ''} Nothing is lost by checking again; if it stays different, the Jobs page shows which payments are missing.
          </p>
        </Notice>
      </div>
    );
  }
  return (
    <p className="reconciliation-ok muted" data-testid="reconciliation-ok">
      {r.at === null ? 'Payments have not been checked against the chain yet.' : `Payments match the chain (${formatToken(r.chainWei)}), checked ${formatAgo(r.at)}.`}{' '}
      <Button size="sm" variant="ghost" busy={reconciling} onClick={onReconcile}>
        Check now
      </Button>
    </p>
  );
}
