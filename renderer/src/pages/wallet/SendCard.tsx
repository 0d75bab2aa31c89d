import { useState } from 'react';
import type { SendPreview } from '../../../../common/ipc/groups/wallet.ts';
import { Button, Card, Notice, Select, TextInput } from '../../ui/index.ts';
import { useClient } from '../../state/context.tsx';
import { formatGwei, formatUnits } from './format.ts';
import type { WalletData } from './use-wallet.ts';

/** Send: fill in, review the fee preview, confirm. Core checks everything again on send. */
export function SendCard({ data }: { data: WalletData }) {
  const client = useClient();
  const wallet = data.wallet!;
  const [asset, setAsset] = useState('native');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [preview, setPreview] = useState<SendPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const options = wallet.balances.map((b) => ({ value: b.asset, label: `${b.symbol} (${formatUnits(b.balance, b.decimals)} available)` }));
  if (options.length === 0) options.push({ value: 'native', label: 'ETH' });

  const review = async () => {
    setSent(null);
    const result = await data.run('preview', () => client.call('wallet:preview-send', { to, amount, asset }));
    setError(result.error?.message ?? null);
    setPreview(result.value);
  };
  const send = async () => {
    const result = await data.run('send', () => client.call('wallet:send', { to, amount, asset }));
    if (result.error) {
      setError(result.error.message);
      setPreview(null);
      return;
    }
    setSent(result.value!.hash);
    setPreview(null);
    setAmount('');
    setError(null);
  };

  return (
    <Card title="Send" description="To a 0x address in its mixed-case (checksummed) form. Hearth does not look up names.">
      {wallet.locked ? (
        <p className="wallet-muted">Unlock the wallet to send.</p>
      ) : preview ? (
        <div className="wallet-form" role="group" aria-label="Review">
          <dl className="wallet-preview">
            <dt>Send</dt>
            <dd data-testid="preview-amount">
              {formatUnits(preview.amount, preview.decimals, 8)} {preview.symbol}
            </dd>
            <dt>To</dt>
            <dd className="wallet-address">{preview.to}</dd>
            <dt>Network fee</dt>
            <dd>
              about {formatUnits(preview.estimatedFeeWei, 18, 8)} {preview.nativeSymbol}, at most {formatUnits(preview.maxFeeWei, 18, 8)}{' '}
              {preview.nativeSymbol}
            </dd>
            <dt>Gas</dt>
            <dd>
              {preview.gasLimit} × up to {formatGwei(preview.maxFeePerGas)} gwei (tip {formatGwei(preview.maxPriorityFeePerGas)} gwei)
            </dd>
          </dl>
          <div className="wallet-actions">
            <Button variant="ghost" onClick={() => setPreview(null)}>
              Back
            </Button>
            <Button variant="primary" busy={data.busy === 'send'} onClick={() => void send()}>
              Confirm and send
            </Button>
          </div>
        </div>
      ) : (
        <form
          className="wallet-form"
          onSubmit={(event) => {
            event.preventDefault();
            void review();
          }}
        >
          <Select label="Asset" value={asset} options={options} onChange={setAsset} />
          <TextInput label="Recipient address" value={to} onChange={setTo} spellCheck={false} autoComplete="off" placeholder="0x…" />
          <TextInput label="Amount" value={amount} onChange={setAmount} inputMode="decimal" placeholder="0.0" />
          <div className="wallet-actions">
            <Button type="submit" variant="primary" busy={data.busy === 'preview'} disabled={to.trim() === '' || amount.trim() === ''}>
              Review
            </Button>
          </div>
        </form>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      {sent && <Notice tone="info">Sent. Follow it under Activity ({sent.slice(0, 10)}…).</Notice>}
    </Card>
  );
}
