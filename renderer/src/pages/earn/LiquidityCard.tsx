import type { LiquidityPosition, PositionsView } from '../../../../common/ipc/groups/positions.ts';
import { Badge, Stat, StatGrid } from '../../ui/index.ts';
import { Amount } from './Amount.tsx';
import { amountWithSymbol, percentText } from './format.ts';
import { ActionButtons, KindCard, RiskNote, type OpenAction } from './KindCard.tsx';

/** Value against simply holding the deposited amounts: impermanent loss, in words. */
function versusHolding(l: LiquidityPosition, eth: string): { words: string; badge: { tone: 'ok' | 'warn' | 'idle'; text: string } } {
  if (l.holdValueEthWei === null) {
    return { words: 'Hearth has not seen your deposits in its ledger, so it cannot compare with holding.', badge: { tone: 'idle', text: 'No comparison' } };
  }
  const diff = BigInt(l.valueEthWei) - BigInt(l.holdValueEthWei);
  const hold = BigInt(l.holdValueEthWei);
  const pct = hold === 0n ? 0 : Number((diff * 1_000_000n) / hold) / 1_000_000;
  if (diff < 0n) {
    return {
      words: `Worth ${amountWithSymbol((-diff).toString(), eth)} less (${percentText(-pct)}) than holding the same tokens and ${eth} would be. That is impermanent loss: the price has moved since you deposited, so the pair now holds more of whichever side fell. It shrinks if the price comes back; the fees above make up part of it.`,
      badge: { tone: 'warn', text: 'Behind holding' },
    };
  }
  return { words: `Worth ${amountWithSymbol(diff.toString(), eth)} more (${percentText(pct)}) than holding the same tokens and ${eth} would be: fees have so far outweighed any impermanent loss.`, badge: { tone: 'ok', text: 'Ahead of holding' } };
}

/** The token/ETH pair: your share, what it holds for you, fees earned and value against holding. */
export function LiquidityCard({ view, onAction }: { view: PositionsView; onAction: OpenAction }) {
  const liquidity = view.liquidity;
  return (
    <KindCard kind="liquidity" title="Liquidity" description={`Provide ${view.tokenSymbol} and ${view.nativeSymbol} to the trading pair and earn its trading fees.`} view={view} present={liquidity !== null} testId="liquidity-card">
      {() => {
        const l = liquidity!;
        const t = view.tokenSymbol;
        const e = view.nativeSymbol;
        const compare = versusHolding(l, e);
        return (
          <div className="earn-card__body">
            <StatGrid columns={3}>
              <Stat label="Share of the pair" value={<span data-testid="lp-share">{percentText(l.share, 3)}</span>} hint={<Amount wei={l.lpBalance} symbol="LP tokens" />} />
              <Stat label="Your side" value={<Amount wei={l.tokenWei} symbol={t} testId="lp-token" />} hint={<>and <Amount wei={l.ethWei} symbol={e} testId="lp-eth" /></>} />
              <Stat label="Value" value={<Amount wei={l.valueEthWei} symbol={e} testId="lp-value" />} hint={l.holdValueEthWei === null ? undefined : <>holding instead: <Amount wei={l.holdValueEthWei} symbol={e} /></>} />
              <Stat label="Fees earned" value={<Amount wei={l.feesEthWei} symbol={e} testId="lp-fees" />} hint={l.feesEthWei === null ? 'needs a deposit the ledger saw' : 'since your first deposit'} />
              <Stat label="Pair reserves" value={<Amount wei={l.reserveTokenWei} symbol={t} />} hint={<Amount wei={l.reserveEthWei} symbol={e} />} />
              <Stat label="Against holding" value={<Badge tone={compare.badge.tone}>{compare.badge.text}</Badge>} />
            </StatGrid>
            <RiskNote title="Impermanent loss">
              <span data-testid="lp-versus-hold">{compare.words}</span>
            </RiskNote>
            <ActionButtons kinds={['add-liquidity', 'remove-liquidity', 'swap']} onAction={onAction} />
          </div>
        );
      }}
    </KindCard>
  );
}
