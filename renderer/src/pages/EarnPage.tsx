import { useState } from 'react';
import type { PositionActionKind } from '../../../common/ipc/groups/positions.ts';
import { hrefFor } from '../app/router.ts';
import { Button, Card, EmptyState, Notice, PageHeader, Spinner } from '../ui/index.ts';
import { EarnIcon, RefreshIcon } from '../ui/icons.tsx';
import { UnlockInline } from './market/UnlockInline.tsx';
import { ActionDialog } from './earn/ActionDialog.tsx';
import { FeePoolCard } from './earn/FeePoolCard.tsx';
import { LendingCard } from './earn/LendingCard.tsx';
import { LiquidityCard } from './earn/LiquidityCard.tsx';
import { StakingCard } from './earn/StakingCard.tsx';
import { SummaryCard } from './earn/SummaryCard.tsx';
import { ValueChart } from './earn/ValueChart.tsx';
import { usePositions } from './earn/use-positions.ts';

/** Earn: staking, lending, the fee pool and liquidity, each with its figures, risks in words and actions with previews. */
export function EarnPage() {
  const data = usePositions();
  const { view, wallet, error } = data;
  const [open, setOpen] = useState<{ kind: PositionActionKind; classLabel?: string } | null>(null);
  const onAction = (kind: PositionActionKind, classLabel?: string) => setOpen(classLabel === undefined ? { kind } : { kind, classLabel });
  const whole = view?.missing.find((m) => m.kind === 'all') ?? null;
  const noWallet = wallet?.exists === false || (view !== null && view.address === null);

  return (
    <>
      <PageHeader
        title="Earn"
        description="Staking, lending, the fee pool and liquidity: what you hold, what it earns and what it risks."
        actions={
          <Button variant="ghost" size="sm" icon={<RefreshIcon size={16} />} onClick={data.reload}>
            Refresh
          </Button>
        }
      />

      {!view ? (
        error ? (
          <Notice tone="error" title="Hearth could not read your positions" action={<Button size="sm" onClick={data.reload}>Try again</Button>}>
            <p>{error.message}</p>
            <p>
              If the network is down, check it on the <a href={hrefFor('wallet')}>Wallet page</a>; this page tries again every few seconds.
            </p>
          </Notice>
        ) : (
          <Card>
            <div className="loading-row">
              <Spinner /> Reading your positions from the chain…
            </div>
          </Card>
        )
      ) : noWallet || whole ? (
        <Card data-testid="earn-unavailable">
          <EmptyState
            icon={<EarnIcon size={28} />}
            title={noWallet ? 'Set up a wallet to start earning' : 'Nothing to show on this network right now'}
            action={
              noWallet ? (
                <a className="btn btn--primary btn--md" href={hrefFor('wallet')}>
                  Go to the Wallet page
                </a>
              ) : (
                <Button onClick={data.reload}>Try again</Button>
              )
            }
          >
            <p data-testid="earn-unavailable-reason">{whole?.reason ?? 'There is no wallet yet: create or import one on the Wallet page, then come back here.'}</p>
            {!noWallet && (
              <p>
                Check the network on the <a href={hrefFor('wallet')}>Wallet page</a>.
              </p>
            )}
          </EmptyState>
        </Card>
      ) : (
        <div className="earn-page">
          {wallet?.locked && (
            <div data-testid="earn-locked">
              <Notice tone="warn" title="Your wallet is locked">
                <p>The figures below are read without it, and previews work; confirming an action signs transactions, which needs the wallet unlocked.</p>
                <UnlockInline keychain={wallet.keychain.enabled} onUnlocked={data.reload} />
              </Notice>
            </div>
          )}
          {error && (
            <div data-testid="earn-stale">
              <Notice tone="warn" title="These figures may be out of date">
                Hearth could not read them again: {error.message} {view.block !== null && `Shown: block ${view.block.toLocaleString('en-US')}.`}
              </Notice>
            </div>
          )}
          <SummaryCard view={view} />
          <ValueChart samples={data.samples} error={data.historyError} days={data.days} onDays={data.setDays} tokenSymbol={view.tokenSymbol} nativeSymbol={view.nativeSymbol} onRetry={data.reload} />
          <StakingCard view={view} onAction={onAction} />
          <LendingCard view={view} onAction={onAction} />
          <div className="earn-page__pair">
            <FeePoolCard view={view} onAction={onAction} />
            <LiquidityCard view={view} onAction={onAction} />
          </div>
        </div>
      )}

      {open && view && (
        <ActionDialog
          key={`${open.kind}:${open.classLabel ?? ''}`}
          kind={open.kind}
          {...(open.classLabel !== undefined ? { classLabel: open.classLabel } : {})}
          view={view}
          wallet={wallet}
          onClose={() => setOpen(null)}
          onDone={data.apply}
        />
      )}
    </>
  );
}
