import type { PositionsView } from '../../../../common/ipc/groups/positions.ts';
import { Stat, StatGrid } from '../../ui/index.ts';
import { Amount } from './Amount.tsx';
import { delayText, percentText } from './format.ts';
import { ActionButtons, KindCard, RiskNote, type OpenAction } from './KindCard.tsx';

/** The fee pool: your shares and what they are worth, and a yield worked out from the fees it received. */
export function FeePoolCard({ view, onAction }: { view: PositionsView; onAction: OpenAction }) {
  const pool = view.feePool;
  return (
    <KindCard kind="feePool" title="Fee pool" description="A pool that receives a share of every job fee paid on the market." view={view} present={pool !== null} testId="feepool-card">
      {() => {
        const p = pool!;
        const t = view.tokenSymbol;
        const ofPool = BigInt(p.totalAssetsWei) === 0n ? 0 : Number((BigInt(p.valueWei) * 1_000_000n) / BigInt(p.totalAssetsWei)) / 1_000_000;
        return (
          <div className="earn-card__body">
            <StatGrid columns={3}>
              <Stat label="Your deposit is worth" value={<Amount wei={p.valueWei} symbol={t} testId="pool-value" />} hint={p.valueEthWei === null ? undefined : <>≈ <Amount wei={p.valueEthWei} symbol={view.nativeSymbol} /></>} />
              <Stat label="Shares" value={<Amount wei={p.shares} symbol="shares" testId="pool-shares" decimals={p.shareDecimals} />} hint={`${percentText(ofPool)} of the pool`} />
              <Stat label="APY" value={<span data-testid="pool-apy">{p.apy === null ? 'Not enough history' : percentText(p.apy)}</span>} hint={<span data-testid="pool-apy-basis">{p.apyBasis}</span>} />
              <Stat label="Pool size" value={<Amount wei={p.totalAssetsWei} symbol={t} />} />
              <Stat label={`Fees in the last ${delayText(p.windowSeconds)}`} value={<Amount wei={p.feesInWindowWei} symbol={t} testId="pool-fees" />} hint="paid into the whole pool" />
            </StatGrid>
            <RiskNote title="What the yield depends on">
              The pool grows only from job fees, so the APY is a reading of the past, not a promise: fewer jobs on the market mean less. Your share of the pool, not a fixed amount, is what you own.
            </RiskNote>
            <ActionButtons kinds={['pool-deposit', 'pool-redeem']} onAction={onAction} />
          </div>
        );
      }}
    </KindCard>
  );
}
