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
        {!chain.network.devnet && <ProtocolFile networkId={chain.network.id} known={networks.find((n) => n.id === chain.network.id)?.protocol ?? false} data={data} onSaved={() => void client.call('chain:networks', {}).then(setNetworks, () => undefined)} />}
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

/** A custom network's addresses file (the deploy script's deployment.json): needed for jobs and staking there. */
function ProtocolFile({ networkId, known, data, onSaved }: { networkId: string; known: boolean; data: WalletData; onSaved: () => void }) {
  const client = useClient();
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const load = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 100_000) {
      setMessage({ tone: 'error', text: 'That file is too large to be an addresses file (over 100 KB).' });
      return;
    }
    const json = await file.text();
    const result = await data.run('set-deployment', () => client.call('chain:set-deployment', { id: networkId, json }));
    if (result.error) setMessage({ tone: 'error', text: result.error.message });
    else {
      setMessage({ tone: 'info', text: 'Addresses checked and saved: jobs, staking and earnings work on this network now.' });
      onSaved();
    }
  };
  return (
    <div className="wallet-form" data-testid="protocol-file">
      <p className="wallet-muted">
        Hearth protocol on this network: {known ? 'addresses known' : 'not set up — load its addresses file (deployment.json) to take jobs here'}
      </p>
      <label className="btn btn--secondary btn--sm">
        {known ? 'Replace the addresses file…' : 'Load the addresses file…'}
        <input type="file" accept="application/json,.json" className="visually-hidden" onChange={(event) => void load(event.currentTarget.files?.[0])} />
      </label>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
    </div>
  );
}
