import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { AssetBalance, WalletStatus } from '../../common/ipc/groups/wallet.ts';
import type { Capability, CapabilityContext } from '../capability.ts';
import { fetchBalances } from '../chain/balances.ts';
import { ChainService, type DevnetDeployment } from '../chain/chain-service.ts';
import { buildFingerprint, ensureDeployment } from '../chain/devnet-deployment.ts';
import { devnetStateFiles } from '../chain/devnet-state.ts';
import { startDevnet, type Devnet, type DevnetOptions } from '../chain/devnet.ts';
import { sendTestFunds } from '../chain/faucet.ts';
import { TxJournal } from '../chain/tx-journal.ts';
import { TxManager } from '../chain/tx-manager.ts';
import { demoParams, deployWithKey } from '../../common/contracts/index.ts';
import type { Logger } from '../ports.ts';
import { planSend } from './send.ts';
import { WalletService } from './wallet-service.ts';

export interface WalletCapabilityOptions {
  /** 'off' keeps the local devnet from starting; defaults to HEARTH_DEVNET (=off) or 'auto'. */
  devnet?: 'auto' | 'off';
  startDevnet?: (options: DevnetOptions) => Promise<Devnet>;
  deployProtocol?: (devnet: Devnet) => Promise<DevnetDeployment>;
  /** Tests only: cheaper scrypt for new keystores. The shells never set it. */
  scryptN?: number;
  pollMs?: { devnet: number; remote: number };
}

/**
 * The default run's protocol: demo parameters, deployed by dev account 0 when the devnet is
 * fresh; on a devnet that kept its state, the addresses in `<stateDir>/deployment.json`.
 */
async function deployDemoProtocol(devnet: Devnet, logger: Logger): Promise<DevnetDeployment> {
  const params = demoParams();
  const { deployment: protocol, reused } = await ensureDeployment(devnet, {
    ...(devnet.stateDir ? { file: devnetStateFiles(devnet.stateDir).deployment } : {}),
    deploy: () => deployWithKey(devnet.rpcUrl, devnet.accounts[0]!.privateKey, { params }),
    classLabels: params.markets.map((m) => m.classLabel),
    build: buildFingerprint(params),
    logger,
  });
  if (reused) logger.info('devnet: the protocol from the previous run is still deployed', { token: protocol.token });
  return {
    protocol,
    token: { address: protocol.token, symbol: params.token.symbol, decimals: 18 },
    ...(protocol.faucet ? { faucet: protocol.faucet } : {}),
  };
}

/**
 * `wallet:*` and `chain:*`: the keystore, the active network, balances and the
 * transaction manager, composed. Only WalletStatus-shaped data leaves here.
 */
export function createWalletCapability(ctx: CapabilityContext, options: WalletCapabilityOptions = {}) {
  const { ports, settings, emit } = ctx;
  const chainDir = join(ports.paths.dataDir, 'chain');
  let balances: { key: string; list: AssetBalance[]; block: number | null } = { key: '', list: [], block: null };
  let lastEmitted = '';

  const wallet = new WalletService({
    dataDir: ports.paths.dataDir,
    clock: ports.clock,
    secrets: ports.secrets,
    logger: ports.logger,
    autoLockMinutes: () => settings.get().wallet.autoLockMinutes,
    ...(options.scryptN ? { scryptN: options.scryptN } : {}),
    onChange: () => {
      publish();
      void refreshBalances();
    },
  });

  const chain = new ChainService({
    clock: ports.clock,
    logger: ports.logger,
    settings,
    devnetMode: options.devnet ?? (process.env.HEARTH_DEVNET === 'off' ? 'off' : 'auto'),
    // The chain keeps its state in the data folder, next to the transaction journal.
    // No idle blocks: Anvil keeps every block in memory and in its state file (~5.5 KB and
    // ~1.75 KB each), so blocks every 2 s would cost ~240 MB of memory a day on an idle
    // machine. Transactions mine at once; whoever needs time to pass (settling after a
    // challenge window) mines one block on demand (see core/market/agent.ts).
    startDevnet: (devnetOptions) => (options.startDevnet ?? startDevnet)({ blockTimeSeconds: 0, ...devnetOptions, stateDir: chainDir, logger: ports.logger }),
    deployProtocol: options.deployProtocol ?? ((devnet) => deployDemoProtocol(devnet, ports.logger)),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onStatus: (status) => {
      emit('chain:status', status);
      publish();
    },
    onBlock: () => {
      void refreshBalances();
      void txs?.poll().catch((error: unknown) => ports.logger.warn('tx poll failed', { error: String(error) }));
    },
  });

  let txs: TxManager | undefined;
  let journal: TxJournal | undefined;
  const requireTxs = (): TxManager => {
    if (!txs) throw new Error('wallet capability used before start()');
    return txs;
  };

  const status = (): WalletStatus => {
    const core = wallet.status();
    const info = chain.status().network;
    const key = balanceKey();
    return {
      ...core,
      networkId: info.id,
      chainId: info.chainId,
      balances: balances.key === key ? balances.list : [],
      balancesBlock: balances.key === key ? balances.block : null,
      faucet: core.exists && chain.runningDevnet() !== undefined,
    };
  };

  function balanceKey(): string {
    const net = chain.status().network;
    return `${net.id}|${net.chainId}|${wallet.selectedAddress() ?? ''}|${chain.tokens().map((t) => t.address).join(',')}`;
  }

  function publish(): void {
    const next = status();
    const text = JSON.stringify(next);
    if (text === lastEmitted) return;
    lastEmitted = text;
    emit('wallet:status', next);
  }

  async function refreshBalances(): Promise<void> {
    const net = chain.active();
    const address = wallet.selectedAddress();
    if (!net || !address) return;
    const key = balanceKey();
    try {
      const block = chain.status().blockNumber;
      const list = await fetchBalances(net.rpc, address, chain.status().network.nativeSymbol, chain.tokens());
      if (key !== balanceKey()) return; // the account or network changed meanwhile
      balances = { key, list, block };
      publish();
    } catch (error) {
      ports.logger.debug('balance refresh failed', { error: String(error) });
    }
  }

  const requireNet = () => {
    const net = chain.active();
    if (!net) {
      const s = chain.status();
      throw new HearthError('network_unavailable', s.error ?? `${s.network.name} is not reachable yet. Wait a moment or pick another network.`);
    }
    return net;
  };

  const plan = async (input: { to: string; amount: string; asset: string }) => {
    const signer = wallet.signer();
    wallet.touch();
    return planSend(input, signer.address, requireNet(), chain.status().network.nativeSymbol, chain.tokens(), requireTxs());
  };

  const afterTx = (): void => {
    chain.hurry();
    void refreshBalances();
  };

  const capability = {
    handlers: {
      'wallet:status': () => status(),
      'wallet:create': ({ password }) => wallet.create(password),
      'wallet:confirm': async ({ words }) => {
        await wallet.confirm(words);
        return status();
      },
      'wallet:cancel-create': () => {
        wallet.cancelCreate();
        return status();
      },
      'wallet:import': async (input) => {
        await wallet.import(input);
        return status();
      },
      'wallet:unlock': async ({ password, useKeychain }) => {
        await wallet.unlock(password, useKeychain ?? (password === undefined && settings.get().wallet.useKeychain));
        return status();
      },
      'wallet:lock': () => {
        wallet.lock();
        return status();
      },
      'wallet:export': ({ password }) => wallet.exportKeystore(password),
      'wallet:add-account': async ({ label }) => {
        await wallet.addAccount(label);
        return status();
      },
      'wallet:select-account': async ({ address }) => {
        await wallet.selectAccount(address);
        wallet.touch();
        return status();
      },
      'wallet:set-keychain': async ({ enabled, password }) => {
        await wallet.setKeychain(enabled, password);
        await settings.update({ wallet: { useKeychain: enabled } });
        return status();
      },
      'wallet:preview-send': async (input) => (await plan(input)).preview,
      'wallet:send': async (input) => {
        const planned = await plan(input);
        const record = await requireTxs().send(planned.request, wallet.signer());
        afterTx();
        return record;
      },
      'wallet:get-test-funds': async () => {
        const to = wallet.selectedAddress();
        if (!to) throw new HearthError('no_wallet', 'Create or import a wallet first, then ask for test funds.');
        wallet.touch();
        const sent = await sendTestFunds(requireTxs(), chain.runningDevnet(), getAddress(to));
        afterTx();
        return sent;
      },
      'chain:status': () => chain.status(),
      'chain:networks': () => chain.networks(),
      'chain:add-network': (input) => chain.addNetwork(input),
      'chain:remove-network': async ({ id }) => ({ removed: await chain.removeNetwork(id) }),
      'chain:set-deployment': ({ id, json }) => chain.setDeployment(id, json),
      'chain:select-network': async ({ id }) => {
        await chain.selectNetwork(id);
        return chain.status();
      },
      'chain:transactions': () => requireTxs().list(),
      'chain:speed-up': async ({ id }) => {
        const tx = requireTxs().list().find((t) => t.id === id);
        wallet.touch();
        return requireTxs().speedUp(id, wallet.signer(tx?.from));
      },
      'chain:cancel': async ({ id }) => {
        const tx = requireTxs().list().find((t) => t.id === id);
        wallet.touch();
        return requireTxs().cancel(id, wallet.signer(tx?.from));
      },
    },
    async start() {
      await wallet.open();
      await mkdir(chainDir, { recursive: true, mode: 0o700 });
      journal = await TxJournal.open(join(chainDir, 'transactions.json'), () => ports.clock.now(), (m) => ports.logger.warn(m));
      txs = new TxManager({
        journal: journal,
        clock: ports.clock,
        logger: ports.logger,
        network: () => chain.active(),
        identity: () => {
          const n = chain.status().network;
          return { id: n.id, chainId: n.chainId, explorerUrl: n.explorerUrl };
        },
        confirmations: () => settings.get().wallet.confirmations,
        onChange: (tx) => {
          emit('chain:transaction', tx);
          afterTx();
        },
      });
      chain.start();
    },
    async stop() {
      wallet.lock();
      await chain.stop();
    },
  } satisfies Capability;
  // The services are exposed for tests and for later capabilities (market, staking) to share.
  return { ...capability, chain, wallet, transactions: () => requireTxs() };
}
export type WalletCapability = ReturnType<typeof createWalletCapability>;
