import { useState } from 'react';
import type { TxRecordView } from '../../../../common/ipc/groups/chain.ts';
import { Button, Card, Notice, StatusPill, type PillStatus } from '../../ui/index.ts';
import { useClient } from '../../state/context.tsx';
import { formatTimestamp } from '../../state/format.ts';
import { shortHash } from './format.ts';
import type { WalletData } from './use-wallet.ts';

const pill: Record<TxRecordView['status'], { status: PillStatus; label: string }> = {
  pending: { status: 'warn', label: 'Pending' },
  confirmed: { status: 'ok', label: 'Confirmed' },
  failed: { status: 'error', label: 'Failed' },
  dropped: { status: 'idle', label: 'Replaced' },
};

/** The transaction history on this network, with speed-up and cancel for pending ones. */
export function ActivityCard({ data }: { data: WalletData }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const unlocked = data.wallet?.locked === false;
  const replace = async (kind: 'chain:speed-up' | 'chain:cancel', id: string) => {
    const result = await data.run(`${kind}:${id}`, () => client.call(kind, { id }));
    setError(result.error?.message ?? null);
  };
  return (
    <Card title="Activity" flush>
      {data.txs.length === 0 ? (
        <p className="wallet-empty">No transactions on this network yet.</p>
      ) : (
        <ul className="wallet-txs" aria-label="Transactions">
          {data.txs.map((tx) => (
            <li key={tx.id} className="wallet-tx" data-status={tx.status}>
              <div className="wallet-tx__main">
                <span className="wallet-tx__label">{tx.label}</span>
                <span className="wallet-muted">
                  {formatTimestamp(tx.createdAt)} · nonce {tx.nonce} ·{' '}
                  {tx.explorerUrl ? (
                    <a href={tx.explorerUrl} target="_blank" rel="noreferrer">
                      {shortHash(tx.hash)}
                    </a>
                  ) : (
                    <code>{shortHash(tx.hash)}</code>
                  )}
                  {tx.hashes.length > 1 && ` · replaced ${tx.hashes.length - 1}×`}
                  {tx.blockNumber !== null && ` · block ${tx.blockNumber}`}
                </span>
                {tx.error && <span className="wallet-tx__error">{tx.error}</span>}
              </div>
              <div className="wallet-tx__side">
                <StatusPill status={pill[tx.status].status} pulse={tx.status === 'pending'}>
                  {pill[tx.status].label}
                </StatusPill>
                {tx.status === 'pending' && unlocked && (
                  <>
                    <Button size="sm" busy={data.busy === `chain:speed-up:${tx.id}`} onClick={() => void replace('chain:speed-up', tx.id)}>
                      Speed up
                    </Button>
                    <Button size="sm" variant="ghost" busy={data.busy === `chain:cancel:${tx.id}`} onClick={() => void replace('chain:cancel', tx.id)}>
                      Cancel
                    </Button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {error && <Notice tone="error">{error}</Notice>}
    </Card>
  );
}
