import { useEffect, useState } from 'react';
import type { NetworkInfo } from '../../../../common/ipc/groups/chain.ts';
import { Button, Card, Notice, Select, StatusPill, TextInput, type PillStatus } from '../../ui/index.ts';
import { useClient } from '../../state/context.tsx';
import type { WalletData } from './use-wallet.ts';

const devnetLabels = { off: 'Off', starting: 'Starting the local chain…', deploying: 'Deploying the protocol…', ready: 'Running', failed: 'Failed' } as const;

/** Which chain the wallet uses: the local devnet (default) or a custom RPC network. */
export function NetworkCard({ data }: { data: WalletData }) {
  const client = useClient();
  const chain = data.chain;
  const [networks, setNetworks] = useState<(NetworkInfo & { active: boolean })[]>([]);
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState({ name: '', chainId: '', rpcUrls: '', explorerUrl: '' });
  const [error, setError] = useState<string | null>(null);
  const networkId = chain?.network.id;

  useEffect(() => {
    client.call('chain:networks', {}).then(setNetworks, () => undefined);
  }, [client, networkId, adding]);

  if (!chain) return null;
  const connection: { status: PillStatus; label: string } =
    chain.connection === 'ready'
      ? { status: 'ok', label: `Connected · block ${chain.blockNumber ?? '…'}` }
      : chain.connection === 'connecting'
        ? { status: 'warn', label: 'Connecting…' }
        : { status: 'error', label: chain.connection === 'wrong_chain' ? 'Wrong chain' : 'Unreachable' };

  const add = async () => {
    const input = {
      name: form.name,
      chainId: Number(form.chainId),
      rpcUrls: form.rpcUrls.split(/[\s,]+/).filter(Boolean),
      ...(form.explorerUrl.trim() ? { explorerUrl: form.explorerUrl.trim() } : {}),
    };
    const result = await data.run('add-network', () => client.call('chain:add-network', input));
    setError(result.error?.message ?? null);
    if (!result.error) {
      setAdding(false);
      setForm({ name: '', chainId: '', rpcUrls: '', explorerUrl: '' });
    }
  };

  return (
    <Card
      title="Network"
      actions={
        <StatusPill status={connection.status} pulse={chain.connection === 'connecting'}>
          {connection.label}
        </StatusPill>
      }
    >
      <div className="wallet-form">
        <Select
          label="Active network"
          value={chain.network.id}
          options={networks.map((n) => ({ value: n.id, label: `${n.name} (chain ${n.chainId})` }))}
          onChange={(id) => void data.run('select-network', () => client.call('chain:select-network', { id })).then((r) => setError(r.error?.message ?? null))}
        />
        {chain.network.devnet && (
          <p className="wallet-muted" data-testid="devnet-state">
            Local devnet: {devnetLabels[chain.devnet.state]}
            {chain.devnet.error ? ` — ${chain.devnet.error}` : ''}
          </p>
        )}
        {chain.error && chain.connection !== 'ready' && <Notice tone="warn">{chain.error}</Notice>}
        {adding ? (
          <form
            className="wallet-form"
            onSubmit={(event) => {
              event.preventDefault();
              void add();
            }}
          >
            <TextInput label="Network name" value={form.name} onChange={(name) => setForm({ ...form, name })} />
            <TextInput label="Chain id" inputMode="numeric" value={form.chainId} onChange={(chainId) => setForm({ ...form, chainId })} />
            <TextInput label="RPC URLs" help="One or more, separated by commas; later ones are fallbacks." value={form.rpcUrls} onChange={(rpcUrls) => setForm({ ...form, rpcUrls })} />
            <TextInput label="Block explorer URL (optional)" value={form.explorerUrl} onChange={(explorerUrl) => setForm({ ...form, explorerUrl })} />
            <div className="wallet-actions">
              <Button variant="ghost" onClick={() => setAdding(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" busy={data.busy === 'add-network'} disabled={!form.name || !form.chainId || !form.rpcUrls}>
                Check and add
              </Button>
            </div>
          </form>
        ) : (
          <div className="wallet-actions">
            <Button size="sm" onClick={() => setAdding(true)}>
              Add a network
            </Button>
          </div>
        )}
        {error && <Notice tone="error">{error}</Notice>}
      </div>
    </Card>
  );
}
