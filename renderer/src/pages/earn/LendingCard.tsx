import type { LendingPosition, PositionsView } from '../../../../common/ipc/groups/positions.ts';
import { Badge, Gauge, ProgressBar, Stat, StatGrid } from '../../ui/index.ts';
import { Amount } from './Amount.tsx';
import { amountWithSymbol, bpsText, healthLevel, percentText } from './format.ts';
import { ActionButtons, KindCard, RiskNote, type OpenAction } from './KindCard.tsx';

/** Health factors above this fill the ring: past it, more headroom changes nothing you would do. */
const FULL_RING = 3;

/** The liquidation level in words, with today's stake for comparison. */
function liquidationWords(lending: LendingPosition, view: PositionsView): string {
  const t = view.tokenSymbol;
  if (lending.healthFactor === null || lending.liquidationStakeWei === null) {
    return `You have no debt, so nothing can be liquidated. If you borrow to stake, your stake becomes the collateral: should it fall below a level shown here (slashes bring it down), a liquidator may repay the debt out of your stake and keep a ${bpsText(lending.liquidationBonusBps)} bonus.`;
  }
  const stake = view.staking ? ` (it is ${amountWithSymbol(view.staking.totalWei, t)} now)` : '';
  const level = amountWithSymbol(lending.liquidationStakeWei, t);
  if (lending.healthFactor < 1) {
    return `Your stake${stake} is below ${level}: a liquidator can repay your debt out of your stake now and keep a ${bpsText(lending.liquidationBonusBps)} bonus. Repay some of the debt or add stake to stop it.`;
  }
  return `If your stake${stake} falls below ${level} — slashes for wrong or late results bring it down — a liquidator may repay your debt out of your stake and keep a ${bpsText(lending.liquidationBonusBps)} bonus. Repaying raises the margin.`;
}

function HealthGauge({ lending }: { lending: LendingPosition }) {
  const health = healthLevel(lending.healthFactor);
  const factor = lending.healthFactor;
  return (
    <div className="earn-health" data-testid="health" data-level={health.level}>
      <Gauge
        value={factor === null ? null : Math.min(1, factor / FULL_RING)}
        label="Health factor"
        display={factor === null ? '—' : factor.toFixed(2)}
        tone={health.tone}
        size={88}
        valueText={factor === null ? 'no debt' : `${factor.toFixed(2)}, ${health.word.toLowerCase()}`}
      />
      <div className="earn-health__words">
        <Badge tone={health.tone}>{health.word}</Badge>
        <p className="earn-health__hint">{factor === null ? 'Borrow to stake to see it.' : 'Below 1.00 the position can be liquidated.'}</p>
      </div>
    </div>
  );
}

/** Lending: what you supplied and owe, the vault's rates, the health of the debt and what can still be borrowed. */
export function LendingCard({ view, onAction }: { view: PositionsView; onAction: OpenAction }) {
  const lending = view.lending;
  return (
    <KindCard kind="lending" title="Lending" description="Lend tokens to providers who stake with them, or borrow against your own stake." view={view} present={lending !== null} testId="lending-card">
      {() => {
        const l = lending!;
        const t = view.tokenSymbol;
        return (
          <div className="earn-card__body">
            <div className="earn-lending__top">
              <HealthGauge lending={l} />
              <StatGrid columns={3}>
                <Stat label="Supplied" value={<Amount wei={l.suppliedWei} symbol={t} testId="lending-supplied" />} hint={l.valueEthWei === null ? undefined : <>≈ <Amount wei={l.valueEthWei} symbol={view.nativeSymbol} /></>} />
                <Stat label="Borrowed" value={<Amount wei={l.borrowedWei} symbol={t} testId="lending-borrowed" />} hint="with interest to this block" />
                <Stat label="Can still borrow" value={<Amount wei={l.borrowableWei} symbol={t} testId="lending-borrowable" />} hint="to stake, at today's stake" />
                <Stat label="Supply APR" value={<span data-testid="supply-apr">{percentText(l.supplyApr)}</span>} hint="what lenders earn a year" />
                <Stat label="Borrow APR" value={<span data-testid="borrow-apr">{percentText(l.borrowApr)}</span>} hint="what borrowers pay a year" />
                <Stat label="Auto-repay" value={<span data-testid="auto-repay">{l.autoRepayBps === 0 ? 'Off' : bpsText(l.autoRepayBps)}</span>} hint={l.autoRepayBps === 0 ? 'payments go to your wallet' : 'of each job payment repays the debt'} />
              </StatGrid>
            </div>
            <ProgressBar
              value={l.utilization}
              label="Vault utilization"
              detail={
                <>
                  {percentText(l.utilization, 1)} lent out: <Amount wei={l.totalBorrowedWei} symbol={t} /> of <Amount wei={l.totalAssetsWei} symbol={t} />
                </>
              }
              tone={l.utilization > 0.9 ? 'warn' : 'info'}
            />
            <RiskNote title="Liquidation">{liquidationWords(l, view)}</RiskNote>
            {l.utilization > 0.9 && (
              <RiskNote title="Busy vault">Most of the vault is lent out: taking everything out may have to wait until borrowers repay.</RiskNote>
            )}
            <ActionButtons kinds={['lend', 'redeem-lend', 'borrow-to-stake', 'repay', 'set-auto-repay']} onAction={onAction} />
          </div>
        );
      }}
    </KindCard>
  );
}
