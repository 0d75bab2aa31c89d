import type { PositionsView } from '../../../../common/ipc/groups/positions.ts';
import { formatTimestamp } from '../../state/format.ts';
import { Stat, StatGrid } from '../../ui/index.ts';
import { Amount } from './Amount.tsx';

/** The top of the page: everything together in the token and in ETH, the price, and the wallet. */
export function SummaryCard({ view }: { view: PositionsView }) {
  const t = view.tokenSymbol;
  const e = view.nativeSymbol;
  return (
    <section className="earn-summary" aria-labelledby="earn-summary-title" data-testid="earn-summary">
      <h2 className="visually-hidden" id="earn-summary-title">
        Summary
      </h2>
      <StatGrid columns={4}>
        <Stat
          size="lg"
          label="Total value"
          value={<Amount wei={view.totalTokenWei} symbol={t} testId="total-token" />}
          hint={view.totalEthWei === null ? `No ${e} price without a ${t}/${e} pair` : <>≈ <Amount wei={view.totalEthWei} symbol={e} testId="total-eth" /></>}
        />
        <Stat
          label={`Price of ${t}`}
          value={view.priceEthPerToken === null ? <span className="muted">No price</span> : <Amount wei={view.priceEthPerToken} symbol={e} testId="price" />}
          hint={view.priceEthPerToken === null ? `There is no ${t}/${e} pair on this network.` : `for 1 ${t}, from the ${t}/${e} pair`}
        />
        <Stat label={`Wallet ${t}`} value={<Amount wei={view.tokenBalanceWei} symbol={t} testId="wallet-token" />} hint="ready to stake, lend or deposit" />
        <Stat label={`Wallet ${e}`} value={<Amount wei={view.nativeBalanceWei} symbol={e} testId="wallet-eth" />} hint="pays network fees" />
      </StatGrid>
      <p className="earn-summary__meta" data-testid="earn-read-at">
        {view.block === null ? 'Not read from the chain.' : `Read from block ${view.block.toLocaleString('en-US')} at ${formatTimestamp(view.at)}; refreshed every few seconds.`}
      </p>
    </section>
  );
}
