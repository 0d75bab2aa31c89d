import { useRef, useState } from 'react';
import { Badge, Button, Card, Notice, Select, StatusPill, TextInput, useRefocus } from '../../ui/index.ts';
import { useClient } from '../../state/context.tsx';
import { formatUnits } from './format.ts';
import type { WalletData } from './use-wallet.ts';

/** The wallet once it exists: lock state, accounts, balances, and the devnet faucet. */
export function AccountCard({ data }: { data: WalletData }) {
  const client = useClient();
  const wallet = data.wallet!;
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = async (name: string, action: () => Promise<unknown>, done?: string) => {
    setNote(null);
    const result = await data.run(name, action);
    setError(result.error?.message ?? null);
    if (!result.error && done) setNote(done);
  };
  // Locking swaps Lock for the password field and unlocking swaps it back: focus follows.
  const card = useRef<HTMLElement>(null);
  useRefocus(wallet.locked, card, () => card.current?.querySelector<HTMLElement>(wallet.locked ? 'input[type="password"]' : '.card__actions button'));
  const accountOptions = wallet.accounts.map((a) => ({ value: a.address, label: `${a.label} · ${a.address.slice(0, 8)}…${a.address.slice(-4)}` }));

  return (
    <Card
      ref={card}
      // Focus lands on the card once the wallet is created (see WalletPage).
      tabIndex={-1}
      data-focus="account"
      title="Account"
      actions={
        wallet.locked ? (
          <StatusPill status="idle">Locked</StatusPill>
        ) : (
          <>
            <StatusPill status="ok">Unlocked</StatusPill>
            <Button size="sm" onClick={() => void act('lock', () => client.call('wallet:lock', {}))}>
              Lock
            </Button>
          </>
        )
      }
    >
      <div className="wallet-account">
        {accountOptions.length > 1 ? (
          <Select
            label="Account"
            value={wallet.selected ?? ''}
            options={accountOptions}
            onChange={(address) => void act('select', () => client.call('wallet:select-account', { address }))}
          />
        ) : null}
        <div>
          <p className="wallet-muted">Address</p>
          <p className="wallet-address" data-testid="wallet-address">
            {wallet.selected}
          </p>
          <Button size="sm" variant="ghost" onClick={() => void navigator.clipboard?.writeText(wallet.selected ?? '')}>
            Copy address
          </Button>
        </div>
        <ul className="wallet-balances" aria-label="Balances">
          {wallet.balances.length === 0 && <li className="wallet-muted">Balances appear once the network answers.</li>}
          {wallet.balances.map((b) => (
            <li key={b.asset} data-testid={`balance-${b.symbol}`}>
              <span className="wallet-balances__amount">{formatUnits(b.balance, b.decimals)}</span>
              <span className="wallet-balances__symbol">{b.symbol}</span>
            </li>
          ))}
        </ul>
        {wallet.balancesBlock !== null && <p className="wallet-muted">As of block {wallet.balancesBlock}</p>}
      </div>
      {wallet.locked && <UnlockForm data={data} />}
      {!wallet.locked && (
        <div className="wallet-actions">
          {wallet.faucet && (
            <Button variant="primary" busy={data.busy === 'faucet'} onClick={() => void act('faucet', () => client.call('wallet:get-test-funds', {}), 'Test funds are on their way: they show up in a block or two.')}>
              Get test funds
            </Button>
          )}
          {wallet.kind === 'mnemonic' && (
            <Button busy={data.busy === 'add'} onClick={() => void act('add', () => client.call('wallet:add-account', {}))}>
              Add account
            </Button>
          )}
          <ExportButton data={data} onError={setError} />
        </div>
      )}
      {note && <Notice tone="info">{note}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
      {!wallet.locked && wallet.autoLockAt !== null && (
        <p className="wallet-muted">Locks itself after a while without wallet use (Settings → auto-lock).</p>
      )}
      {wallet.locked && wallet.balances.length > 0 && <Badge tone="idle">Balances stay visible while locked</Badge>}
    </Card>
  );
}

function UnlockForm({ data }: { data: WalletData }) {
  const client = useClient();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unlock = async (useKeychain: boolean) => {
    const result = await data.run('unlock', () => client.call('wallet:unlock', useKeychain ? { useKeychain: true } : { password }));
    setError(result.error?.message ?? null);
    if (!result.error) setPassword('');
  };
  return (
    <form
      className="wallet-form"
      onSubmit={(event) => {
        event.preventDefault();
        void unlock(false);
      }}
    >
      <TextInput label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} error={error} />
      <div className="wallet-actions">
        <Button type="submit" variant="primary" busy={data.busy === 'unlock'} disabled={password === ''}>
          Unlock
        </Button>
        {data.wallet?.keychain.enabled && (
          <Button onClick={() => void unlock(true)} busy={data.busy === 'unlock'}>
            Unlock with system keychain
          </Button>
        )}
      </div>
    </form>
  );
}

function ExportButton({ data, onError }: { data: WalletData; onError: (message: string | null) => void }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  if (!open) return <Button onClick={() => setOpen(true)}>Export keystore</Button>;
  const save = async () => {
    const result = await data.run('export', () => client.call('wallet:export', { password }));
    if (result.error) return onError(result.error.message);
    // A download of the encrypted file; the password is still needed to open it.
    const url = URL.createObjectURL(new Blob([result.value!.json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = result.value!.filename;
    link.click();
    URL.revokeObjectURL(url);
    setPassword('');
    setOpen(false);
    onError(null);
  };
  return (
    <form
      className="wallet-inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <TextInput label="Password to export" type="password" value={password} onChange={setPassword} />
      <Button type="submit" busy={data.busy === 'export'} disabled={password === ''}>
        Download
      </Button>
    </form>
  );
}
