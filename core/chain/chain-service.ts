import { getAddress } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { ChainStatus, DevnetState, NetworkInfo } from '../../common/ipc/groups/chain.ts';
import type { NetworkSettings } from '../../common/settings.ts';
import { deploymentAddresses, parseDeployment, type Deployment } from '../../common/contracts/addresses.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { TokenInfo } from './balances.ts';
import type { Devnet, DevnetOptions } from './devnet.ts';
import { createRpcClient, fetchChainId, type RpcClient } from './rpc.ts';
import type { ActiveNetwork } from './tx-manager.ts';
import { elapsedSince } from '../elapsed.ts';

export const DEVNET_ID = 'devnet';
/** How long the local chain is polled each second after its last block before slowing down. */
export const DEVNET_QUIET_MS = 10_000;

/** What deploying the protocol on the devnet yields that the wallet cares about. */
export interface DevnetDeployment {
  /** The full addresses file, for capabilities beyond the wallet (market, staking). */
  protocol?: Deployment;
  token?: TokenInfo;
  /** DevFaucet contract: drip(address) hands out tokens. */
  faucet?: string;
}

export interface ChainServiceOptions {
  clock: Clock;
  logger: Logger;
  settings: SettingsStore;
  /** 'off' never starts a local node (tests, HEARTH_DEVNET=off). */
  devnetMode: 'auto' | 'off';
  startDevnet: (options: DevnetOptions) => Promise<Devnet>;
  /** Deploys the protocol on the devnet, or finds it already there when the chain kept its state. */
  deployProtocol?: (devnet: Devnet) => Promise<DevnetDeployment>;
  onStatus: (status: ChainStatus) => void;
  /** Called once per new block on the active network. */
  onBlock: (blockNumber: number) => void;
  /** `quiet`: how long after a block the devnet is still polled at the `devnet` pace (default DEVNET_QUIET_MS). */
  pollMs?: { devnet: number; remote: number; quiet?: number };
  /** The RPC client's timeout and retries (defaults in rpc.ts); tests shorten them. */
  rpc?: { timeoutMs?: number; rounds?: number; backoffMs?: number };
}

/**
 * Knows which network is active and whether it answers: runs the local devnet when it is
 * selected, checks custom networks' chain ids, and ticks once per new block.
 */
export class ChainService {
  private devnetState: DevnetState = 'off';
  private devnetError: string | null = null;
  private devnet: Devnet | undefined;
  private deployment: DevnetDeployment = {};
  private devnetStart: Promise<void> | undefined;
  private rpc: RpcClient | undefined;
  private rpcFor = '';
  private connection: ChainStatus['connection'] = 'connecting';
  private error: string | null = null;
  private blockNumber: number | null = null;
  private timer: TimerHandle | undefined;
  private ticking = false;
  private lastTick = 0;
  /** When a block last arrived, the network changed, or a caller said a transaction was sent. */
  private lastActivity = 0;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: ChainServiceOptions) {}

  start(): void {
    this.unsubscribe = this.options.settings.subscribe(() => this.reconnectIfChanged());
    this.reconnectIfChanged();
    // One fast timer; remote networks are asked less often to spare public RPC quotas.
    this.timer = this.options.clock.setInterval(() => {
      const now = this.options.clock.now();
      const devnetMs = this.options.pollMs?.devnet ?? 1000;
      const remoteMs = this.options.pollMs?.remote ?? 4000;
      // The local chain mines only on transactions: each second while blocks come (something is
      // being confirmed), at the remote pace once it has been quiet a while, so a daemon at rest
      // does not make an HTTP request every second for a block number that never changes.
      const quiet = this.options.pollMs?.quiet ?? DEVNET_QUIET_MS;
      const every = this.isDevnetActive() ? (elapsedSince(now, this.lastActivity) < quiet ? devnetMs : Math.max(devnetMs, remoteMs)) : remoteMs;
      // elapsedSince: a clock set back must not stop the polling until it catches up.
      if (elapsedSince(now, this.lastTick) >= every) void this.tick();
    }, this.options.pollMs?.devnet ?? 1000);
  }

  /** A transaction was just sent: watch the chain at full pace again and look now. */
  hurry(): void {
    this.lastActivity = this.options.clock.now();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer !== undefined) this.options.clock.clearInterval(this.timer);
    await this.devnetStart?.catch(() => undefined);
    await this.devnet?.stop();
    this.devnet = undefined;
  }

  /** Waits until the devnet (if starting) is up; tests and the CLI use it. */
  async whenDevnetSettled(): Promise<void> {
    await this.devnetStart?.catch(() => undefined);
  }

  status(): ChainStatus {
    return {
      network: this.activeInfo(),
      connection: this.connection,
      devnet: { state: this.devnetState, error: this.devnetError, contracts: this.deployment.token !== undefined },
      blockNumber: this.blockNumber,
      error: this.error,
    };
  }

  /** The active network when it answers with the right chain id. */
  active(): ActiveNetwork | undefined {
    if (this.connection !== 'ready' || !this.rpc) return undefined;
    const info = this.activeInfo();
    return { id: info.id, chainId: info.chainId, rpc: this.rpc, explorerUrl: info.explorerUrl };
  }

  /** The running devnet (for its dev accounts), when the devnet is the active network. */
  runningDevnet(): { devnet: Devnet; deployment: DevnetDeployment } | undefined {
    return this.isDevnetActive() && this.devnet && this.devnetState === 'ready' ? { devnet: this.devnet, deployment: this.deployment } : undefined;
  }

  tokens(): TokenInfo[] {
    if (this.isDevnetActive()) return this.deployment.token ? [this.deployment.token] : [];
    const network = this.customNetwork(this.options.settings.get().wallet.network);
    const tokens = network?.tokens ?? [];
    const protocolToken = network?.deployment?.token;
    // The protocol's own token is shown wherever its addresses file is known.
    if (protocolToken && !tokens.some((t) => t.address.toLowerCase() === protocolToken.toLowerCase())) {
      return [{ address: protocolToken, symbol: 'HRTH', decimals: 18 }, ...tokens];
    }
    return tokens;
  }

  networks(): (NetworkInfo & { active: boolean })[] {
    const activeId = this.activeInfo().id;
    const list = [this.devnetInfo(), ...this.options.settings.get().wallet.networks.map(infoOf)];
    return list.map((n) => ({ ...n, active: n.id === activeId }));
  }

  /** Adds a network after every RPC URL answered with the stated chain id. Nothing is saved otherwise. */
  async addNetwork(input: { name: string; chainId: number; rpcUrls: string[]; explorerUrl?: string | undefined }): Promise<NetworkInfo> {
    for (const url of input.rpcUrls) {
      let answered: number;
      try {
        answered = await fetchChainId(url, this.options.clock);
      } catch {
        throw new HearthError('rpc_unreachable', `${url} did not answer as an Ethereum JSON-RPC endpoint. Check the URL and that the node is running.`);
      }
      if (answered !== input.chainId) {
        throw new HearthError('wrong_chain', `${url} is on chain ${answered}, not ${input.chainId}. Check the chain id or the RPC URL; nothing was saved.`);
      }
    }
    const current = this.options.settings.get().wallet.networks;
    const base = input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'network';
    let id = base;
    for (let n = 2; id === DEVNET_ID || current.some((c) => c.id === id); n++) id = `${base}-${n}`;
    const network: NetworkSettings = { id, name: input.name, chainId: input.chainId, rpcUrls: input.rpcUrls, tokens: [] };
    if (input.explorerUrl) network.explorerUrl = input.explorerUrl;
    await this.options.settings.update({ wallet: { networks: [...current, network] } });
    return infoOf(network);
  }

  /** Saves a network's addresses file after checking its schema, chain id and that the contracts exist there. */
  async setDeployment(id: string, json: string): Promise<NetworkInfo> {
    const network = this.customNetwork(id);
    if (!network) throw new HearthError('unknown_network', `There is no network called ${id}. Add it first.`);
    let deployment: Deployment;
    try {
      deployment = parseDeployment(json);
    } catch (error) {
      const detail = error instanceof SyntaxError ? 'it is not JSON' : error instanceof Error ? error.message.slice(0, 200) : String(error);
      throw new HearthError('bad_addresses_file', `That is not a Hearth addresses file (${detail}). Use the deployment.json the deploy script wrote.`);
    }
    if (deployment.chainId !== network.chainId) {
      throw new HearthError('wrong_chain', `That addresses file is for chain ${deployment.chainId}, but ${network.name} is chain ${network.chainId}. Nothing was saved.`);
    }
    const rpc = createRpcClient({ urls: network.rpcUrls, clock: this.options.clock });
    for (const address of deploymentAddresses(deployment)) {
      let code: string;
      try {
        code = await rpc.request<string>('eth_getCode', [address, 'latest']);
      } catch {
        throw new HearthError('rpc_unreachable', `${network.name} did not answer while checking the contracts. Try again when it is reachable; nothing was saved.`);
      }
      if (code === '0x') throw new HearthError('no_contract', `There is no contract at ${address} on ${network.name}: the addresses file belongs to another deployment. Nothing was saved.`);
    }
    const networks = this.options.settings.get().wallet.networks.map((n) => (n.id === id ? { ...n, deployment } : n));
    await this.options.settings.update({ wallet: { networks } });
    return infoOf({ ...network, deployment });
  }

  async removeNetwork(id: string): Promise<boolean> {
    const wallet = this.options.settings.get().wallet;
    if (!wallet.networks.some((n) => n.id === id)) return false;
    await this.options.settings.update({
      wallet: { networks: wallet.networks.filter((n) => n.id !== id), ...(wallet.network === id ? { network: DEVNET_ID } : {}) },
    });
    return true;
  }

  async selectNetwork(id: string): Promise<void> {
    if (id !== DEVNET_ID && !this.customNetwork(id)) throw new HearthError('unknown_network', `There is no network called ${id}. Add it first.`);
    await this.options.settings.update({ wallet: { network: id } });
  }

  private isDevnetActive(): boolean {
    return this.options.settings.get().wallet.network === DEVNET_ID || !this.customNetwork(this.options.settings.get().wallet.network);
  }

  private customNetwork(id: string): NetworkSettings | undefined {
    return this.options.settings.get().wallet.networks.find((n) => n.id === id);
  }

  private devnetInfo(): NetworkInfo {
    return {
      id: DEVNET_ID,
      name: 'Local devnet',
      chainId: this.devnet?.chainId ?? 31337,
      devnet: true,
      rpcUrls: this.devnet ? [this.devnet.rpcUrl] : [],
      explorerUrl: null,
      nativeSymbol: 'ETH',
      protocol: this.deployment.protocol !== undefined,
    };
  }

  private activeInfo(): NetworkInfo {
    const custom = this.customNetwork(this.options.settings.get().wallet.network);
    return custom ? infoOf(custom) : this.devnetInfo();
  }

  private reconnectIfChanged(): void {
    const info = this.activeInfo();
    const key = `${info.id}|${info.chainId}|${info.rpcUrls.join(',')}`;
    if (key === this.rpcFor) return;
    this.rpcFor = key;
    this.lastActivity = this.options.clock.now();
    this.rpc = info.rpcUrls.length > 0 ? createRpcClient({ ...this.options.rpc, urls: info.rpcUrls, clock: this.options.clock }) : undefined;
    this.connection = 'connecting';
    this.blockNumber = null;
    this.error = null;
    if (info.devnet) this.ensureDevnet();
    this.emit();
    void this.tick();
  }

  private ensureDevnet(): void {
    if (this.devnetStart || this.stopped) return;
    if (this.options.devnetMode === 'off') {
      this.devnetState = 'off';
      this.connection = 'unreachable';
      this.error = 'The local devnet is turned off (HEARTH_DEVNET=off). Pick another network or start Hearth without that setting.';
      return;
    }
    this.devnetState = 'starting';
    // Started in the background: the shell prints its ready line without waiting for the chain.
    this.devnetStart = (async () => {
      try {
        const devnet = await this.options.startDevnet({ clock: this.options.clock });
        if (this.stopped) {
          await devnet.stop();
          return;
        }
        this.devnet = devnet;
        if (this.options.deployProtocol) {
          this.devnetState = 'deploying';
          this.emit();
          this.deployment = await this.options.deployProtocol(devnet);
        }
        this.devnetState = 'ready';
        this.rpcFor = '';
        this.reconnectIfChanged();
        void devnet.exited?.then(() => this.restartAfterExit(devnet));
      } catch (error) {
        this.devnetState = 'failed';
        this.devnetError = error instanceof Error ? error.message : String(error);
        this.options.logger.error('devnet failed to start', { error: this.devnetError });
        this.emit();
      }
    })();
  }

  /** The node died under us (a crash, a kill from outside): start it again from its state file. */
  private restartAfterExit(devnet: Devnet): void {
    if (this.stopped || this.devnet !== devnet) return;
    this.options.logger.warn('the local chain stopped unexpectedly; starting it again from its saved state');
    this.devnet = undefined;
    this.devnetStart = undefined;
    this.deployment = {};
    this.connection = 'connecting';
    this.error = 'The local chain stopped; restarting it…';
    this.emit();
    this.ensureDevnet();
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped || !this.rpc) return;
    this.ticking = true;
    this.lastTick = this.options.clock.now();
    const rpc = this.rpc;
    const info = this.activeInfo();
    try {
      if (this.connection !== 'ready') {
        const chainId = Number.parseInt(await rpc.request<string>('eth_chainId'), 16);
        if (rpc !== this.rpc) return;
        if (chainId !== info.chainId) {
          this.connection = 'wrong_chain';
          this.error = `The RPC answers for chain ${chainId}, but ${info.name} is chain ${info.chainId}. Check the network's RPC URLs.`;
          this.emit();
          return;
        }
        this.connection = 'ready';
        this.error = null;
      }
      const block = Number(BigInt(await rpc.request<string>('eth_blockNumber')));
      if (rpc !== this.rpc) return;
      if (block !== this.blockNumber) {
        this.lastActivity = this.options.clock.now();
        this.blockNumber = block;
        this.emit();
        this.options.onBlock(block);
      }
    } catch (error) {
      if (rpc !== this.rpc) return;
      const message = error instanceof Error ? error.message : String(error);
      if (this.connection !== 'unreachable' || this.error !== message) {
        this.connection = 'unreachable';
        this.error = message;
        this.emit();
      }
    } finally {
      this.ticking = false;
    }
  }

  private emit(): void {
    this.options.onStatus(this.status());
  }
}

function infoOf(n: NetworkSettings): NetworkInfo {
  return {
    id: n.id,
    name: n.name,
    chainId: n.chainId,
    devnet: false,
    rpcUrls: n.rpcUrls,
    explorerUrl: n.explorerUrl ?? null,
    nativeSymbol: 'ETH',
    protocol: n.deployment !== undefined,
  };
}

/** EIP-55 check: a mixed-case address must match its checksum; all-one-case has none to check. */
export function checkRecipient(text: string): string {
  const value = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new HearthError(
      'bad_address',
      /\.[a-z]+$/i.test(value)
        ? 'Hearth does not look up names (ENS): paste the recipient\'s 0x address.'
        : 'That is not an address: it must be 0x followed by 40 hexadecimal characters.',
    );
  }
  const body = value.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) {
    throw new HearthError(
      'address_not_checksummed',
      'That address has no checksum (it is all one case), so a typo could not be caught. Copy the mixed-case form of the address from the recipient.',
    );
  }
  try {
    return getAddress(value);
  } catch {
    throw new HearthError('bad_checksum', 'That address fails its checksum: a character is probably wrong. Copy it again from the recipient.');
  }
}
