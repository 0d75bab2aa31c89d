/**
 * `market:*`: the market agent, the ledger and provider registration, composed. The agent
 * ticks on its own timer (each second on the local chain, every four on a remote one);
 * status is pushed as `market:status` whenever it changes.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { parseUnits } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import { CPU_DEVICE_ID, deviceSettingsFor, gpuDisplayName, type BenchmarkRecord, type HardwareInventory, type TelemetrySample } from '../../common/hardware.ts';
import type { MarketStatus } from '../../common/ipc/groups/market.ts';
import { classForDevice, classesForDevice } from '../../common/market/classes.ts';
import type { AllHandlers, Capability, CapabilityContext } from '../capability.ts';
import type { WalletCapability } from '../wallet/wallet-capability.ts';
import type { ModelStore, WorkerSupervisor } from '../worker/index.ts';
import { builtinCatalog } from '../worker/index.ts';
import { openLedger, type Ledger } from '../ledger/index.ts';
import type { TimerHandle } from '../ports.ts';
import { createMarketAgent, type AgentContext, type MarketAgent } from './agent.ts';
import type { DeviceView } from './policy.ts';
import { reconcile, type Reconciliation } from './reconcile.ts';
import { previewRegistration, register } from './registration.ts';
import { marketIface, read } from './chain-reads.ts';
import { buildStatus } from './status.ts';
import { devAccounts } from '../chain/devnet.ts';
import { SIMULATOR_ACCOUNT_INDEX, startDemandSimulator } from '../requester/simulator.ts';
import { elapsedSince } from '../elapsed.ts';

type MarketHandlers = Pick<
  AllHandlers,
  'market:status' | 'market:jobs' | 'market:job' | 'market:earnings' | 'market:preview-register' | 'market:register' | 'market:reconcile'
>;

export interface MarketCapabilityDeps {
  wallet: Pick<WalletCapability, 'chain' | 'wallet' | 'transactions'>;
  supervisor: WorkerSupervisor;
  store: ModelStore;
  hardware: { inventory: () => HardwareInventory | null; latest: () => TelemetrySample | null; benchmarks: () => BenchmarkRecord[] };
  /** Tick interval override for tests (ms). */
  tickMs?: number;
  /** Run the demand simulator beside the local chain (the default run only). */
  simulator?: boolean;
}

/** Unit throughput a benchmark implies: inferences/s × rows per inference. */
function unitsPerSecond(b: BenchmarkRecord | undefined): number | null {
  return b ? b.inferencesPerSecond * b.batch : null;
}

export function createMarketCapability(ctx: CapabilityContext, deps: MarketCapabilityDeps) {
  const { ports, settings, emit } = ctx;
  const { chain, wallet } = deps.wallet;
  let ledger: Ledger | undefined;
  let agent: MarketAgent | undefined;
  let timer: TimerHandle | undefined;
  let lastTick = 0;
  let lastReconcile = 0;
  let lastTelemetry = 0;
  let reconciliation: Reconciliation | null = null;
  /** Jobs paid when the ledger was last reconciled: a new payment brings the next check forward. */
  let reconciledPaid: number | null = null;
  let reconciling = false;
  let lastStatus = '';
  let cached: MarketStatus | null = null;
  let simulator: { rpcUrl: string; handle: ReturnType<typeof startDemandSimulator> } | null = null;

  const requireLedger = (): Ledger => {
    if (!ledger) throw new HearthError('market_starting', 'The job ledger is still opening; try again in a moment.');
    return ledger;
  };

  const deployment = () => {
    const running = chain.runningDevnet();
    if (running) return running.deployment.protocol;
    const id = settings.get().wallet.network;
    return settings.get().wallet.networks.find((n) => n.id === id)?.deployment;
  };

  const context = (): AgentContext | undefined => {
    const net = chain.active();
    const d = deployment();
    const address = wallet.selectedAddress();
    if (!net || !d || !address || d.chainId !== net.chainId) return undefined;
    return { net, deployment: d, address, unlocked: !wallet.status().locked, devnet: chain.runningDevnet() !== undefined };
  };

  const devices = (): DeviceView[] => {
    const inventory = deps.hardware.inventory();
    const hw = settings.get().hardware;
    const latest = deps.hardware.latest();
    const bench = deps.hardware.benchmarks();
    const list: DeviceView[] = (inventory?.gpus ?? []).map((g) => {
      const s = deviceSettingsFor(hw, g.id);
      return {
        id: g.id,
        kind: 'gpu' as const,
        name: gpuDisplayName(g),
        vramMiB: g.vramMiB,
        enabled: s.enabled && g.support.status !== 'unsupported',
        vramCapMiB: s.vramCapMiB,
        unitsPerSecond: unitsPerSecond(bench.find((b) => b.deviceId === g.id)),
        powerW: latest?.gpus.find((x) => x.deviceId === g.id)?.powerDrawW ?? null,
      };
    });
    list.push({
      id: CPU_DEVICE_ID,
      kind: 'cpu',
      name: inventory?.cpu.model ?? 'CPU',
      vramMiB: null,
      enabled: deviceSettingsFor(hw, CPU_DEVICE_ID).enabled,
      vramCapMiB: null,
      unitsPerSecond: unitsPerSecond(bench.find((b) => b.deviceId === CPU_DEVICE_ID)),
      powerW: null,
    });
    return list;
  };

  const symbol = () => chain.tokens()[0]?.symbol ?? 'HRTH';

  const status = (): MarketStatus => {
    const list = devices();
    const best = list.find((d) => d.enabled && d.kind === 'gpu') ?? list.find((d) => d.enabled);
    return buildStatus({
      settings: settings.get(),
      chain: chain.status(),
      walletExists: wallet.status().exists,
      locked: wallet.status().locked,
      address: wallet.selectedAddress() ?? null,
      deployment: deployment() ?? null,
      context: context(),
      agent: agent ?? null,
      ledger: ledger ?? null,
      reconciliation,
      suggestedClass: best ? classForDevice(best) : null,
      devices: list,
      now: ports.clock.now(),
      symbol: symbol(),
    });
  };

  const publish = (): void => {
    const next = status();
    cached = next;
    const text = JSON.stringify(next);
    if (text === lastStatus) return;
    lastStatus = text;
    emit('market:status', next);
  };

  async function runReconcile(): Promise<boolean> {
    const c = context();
    if (!c || !ledger) return false;
    reconciliation = await reconcile({ rpc: c.net.rpc, deployment: c.deployment, chainId: c.net.chainId, provider: c.address, ledger, now: ports.clock.now(), symbol: symbol() });
    if (!reconciliation.ok) ports.logger.warn('ledger and chain differ', { message: reconciliation.message });
    reconciledPaid = cached?.jobsPaid ?? null;
    return true;
  }

  /** Keeps the simulator running exactly while the local chain runs (restarting it with the chain). */
  function keepSimulator(): void {
    if (!deps.simulator) return;
    const running = chain.runningDevnet();
    const rpcUrl = running?.devnet.rpcUrl ?? null;
    if (simulator && simulator.rpcUrl !== rpcUrl) {
      void simulator.handle.stop();
      simulator = null;
    }
    const protocol = running?.deployment.protocol;
    if (!simulator && running && protocol && rpcUrl) {
      const accounts = devAccounts();
      simulator = {
        rpcUrl,
        handle: startDemandSimulator({
          rpcUrl,
          deployment: protocol,
          requesterKey: accounts[SIMULATOR_ACCOUNT_INDEX]!.privateKey,
          arbiterKey: accounts[0]!.privateKey,
          ratePerMinute: 2,
          maxPricePerUnit: parseUnits('0.02', 18),
          // Demand for what this machine can serve, so a new user sees the whole loop on one machine.
          classLabels: demoClasses(protocol.markets.map((m) => m.classLabel)),
          dataDir: join(ports.paths.dataDir, 'simulator'),
          logger: ports.logger,
          launcher: ports.launcher,
          ...(ports.simulatorEntry ? { entry: ports.simulatorEntry } : {}),
        }),
      };
      ports.logger.info('demand simulator started', { rpcUrl });
    }
  }

  function demoClasses(all: string[]): string[] {
    const mine = new Set(devices().filter((d) => d.enabled).flatMap((d) => classesForDevice(d)));
    const chosen = all.filter((c) => mine.has(c));
    return chosen.length > 0 ? chosen : all;
  }

  function onTimer(): void {
    keepSimulator();
    const now = ports.clock.now();
    const every = chain.runningDevnet() ? (deps.tickMs ?? 1000) : Math.max(deps.tickMs ?? 1000, 4000);
    // elapsedSince: a clock set back a day must not stop the market loop for a day.
    if (elapsedSince(now, lastTick) < every || !agent || !settings.get().market.enabled) return;
    lastTick = now;
    void agent.tick();
    const newPayment = cached !== null && reconciledPaid !== cached.jobsPaid;
    if (!reconciling && (elapsedSince(now, lastReconcile) > 300_000 || newPayment)) {
      reconciling = true;
      void runReconcile()
        .then((ran) => {
          if (ran) lastReconcile = now;
        })
        .catch((e: unknown) => ports.logger.warn('reconcile failed', { error: String(e) }))
        .finally(() => {
          reconciling = false;
          publish();
        });
    }
    if (elapsedSince(now, lastTelemetry) >= 60_000 && ledger) {
      lastTelemetry = now;
      for (const g of deps.hardware.latest()?.gpus ?? []) {
        ledger.addTelemetry({ at: now, deviceId: g.deviceId, utilizationPct: g.utilizationPct, temperatureC: g.temperatureC, powerW: g.powerDrawW });
      }
    }
  }

  /**
   * The context and the chosen class's miss penalty (the suggested stake leaves room for a few).
   * Read from the chain when the agent has not loaded the market yet: a penalty taken as 0
   * made the first suggestion the bare minimum, which then jumped once the agent caught up.
   */
  const registrationDeps = async (classLabel: string) => {
    const c = context();
    if (!c) {
      if (!wallet.status().exists) throw new HearthError('no_wallet', 'Create or import a wallet first: the stake is paid from it.');
      throw new HearthError('market_unavailable', status().reason);
    }
    const market = c.deployment.markets.find((m) => m.classLabel === classLabel);
    if (!market) return { c, penalty: 0n }; // the preview refuses the unknown class with the list of known ones
    const known = agent?.marketParams().get(market.address.toLowerCase())?.missPenalty;
    const penalty = known ?? BigInt((await read(c.net.rpc, marketIface, market.address, 'missPenalty'))[0] as bigint);
    return { c, penalty };
  };

  const handlers: MarketHandlers = {
    'market:status': () => status(),
    'market:jobs': (q) => {
      const chainId = context()?.net.chainId ?? chain.status().network.chainId;
      return requireLedger().listJobs({ ...q, chainId });
    },
    'market:job': ({ key }) => {
      const job = requireLedger().getJob(key);
      if (!job) throw new HearthError('unknown_job', 'There is no such job in the ledger.');
      return job;
    },
    'market:earnings': () => {
      const c = context();
      const chainId = c?.net.chainId ?? chain.status().network.chainId;
      return requireLedger().earnings({ chainId, provider: c?.address ?? wallet.selectedAddress() ?? '0x0000000000000000000000000000000000000000', now: ports.clock.now(), tzOffsetMinutes: new Date(ports.clock.now()).getTimezoneOffset() });
    },
    'market:preview-register': async (input) => {
      const { c, penalty } = await registrationDeps(input.classLabel);
      return previewRegistration({ net: c.net, txs: deps.wallet.transactions(), deployment: c.deployment, address: c.address, missPenalty: penalty, endpoint: 'hearth://provider' }, input);
    },
    'market:register': async (input) => {
      const { c, penalty } = await registrationDeps(input.classLabel);
      wallet.touch();
      await register(
        {
          txs: deps.wallet.transactions(),
          network: () => chain.active(),
          clock: ports.clock,
          net: c.net,
          deployment: c.deployment,
          signer: wallet.signer(),
          missPenalty: penalty,
          endpoint: 'hearth://provider',
          onTx: (label, hash, gasWei, txStatus, block) => ledger?.recordTx({ hash, jobKey: null, label, status: txStatus, gasWei: gasWei.toString(), blockNumber: block }),
        },
        input,
      );
      await settings.update({ market: { onboardingProvider: 'done' } });
      await agent?.invalidate();
      publish();
      return status();
    },
    'market:reconcile': async () => {
      await runReconcile();
      publish();
      return status();
    },
  };

  return {
    handlers,
    /** The ledger once started, for capabilities that keep their own rows in it (positions). */
    ledger: () => ledger,
    /** The paid-work job source for the scheduler (null until started). */
    agent: () => agent,
    async start() {
      const dir = join(ports.paths.dataDir, 'ledger');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      ledger = openLedger({ path: join(dir, 'ledger.sqlite'), clock: ports.clock, logger: ports.logger });
      agent = createMarketAgent({
        ledger,
        clock: ports.clock,
        logger: ports.logger,
        catalog: builtinCatalog,
        supervisor: deps.supervisor,
        store: deps.store,
        txs: deps.wallet.transactions(),
        context,
        signer: () => wallet.signer(),
        devices,
        minPricePerUnitWei: () => parseUnits(settings.get().market.minPricePerUnit, 18),
        electricityPerKwhWei: () => {
          const e = settings.get().market.electricityPerKwh;
          return e === null ? null : parseUnits(e, 18);
        },
        confirmations: () => settings.get().wallet.confirmations,
        symbol,
        onChange: publish,
      });
      timer = ports.clock.setInterval(onTimer, Math.min(deps.tickMs ?? 1000, 1000));
    },
    async stop() {
      if (timer !== undefined) ports.clock.clearInterval(timer);
      await simulator?.handle.stop();
      simulator = null;
      ledger?.close();
      ledger = undefined;
    },
    status,
    /** The last published status, cheap enough for the scheduler to ask on every decision. */
    cachedStatus: () => cached ?? status(),
  } satisfies Capability & Record<string, unknown>;
}

export type MarketCapability = ReturnType<typeof createMarketCapability>;
