import { contract, type HearthContract } from '../common/ipc/contract.ts';
import { createDispatcher } from '../common/ipc/dispatch.ts';
import type { Envelope, EventName } from '../common/ipc/define.ts';
import type { Caller } from '../common/ipc/caller.ts';
import { createAppCapability } from './app/app-capability.ts';
import type { AllHandlers, Capability, CapabilityContext, Emit } from './capability.ts';
import type { Ports } from './ports.ts';
import { openSettingsStore } from './settings/store.ts';
import { createHardwareCapability } from './hardware/hardware-capability.ts';
import { createWalletCapability } from './wallet/wallet-capability.ts';
import { createSchedulerCapability } from './scheduler/scheduler-capability.ts';
import { createPracticeJobSource } from './scheduler/practice-jobs.ts';
import { createWorkerCapability } from './worker/worker-capability.ts';
import { createMarketCapability } from './market/market-capability.ts';
import { createMarketFirstJobSource } from './scheduler/market-first-jobs.ts';
import { createPositionsCapability } from './positions/positions-capability.ts';
import { createUpdateCapability } from './update/update-capability.ts';
import { createNotificationRules } from './notifications/rules.ts';
import { createConsoleCapability } from './terminal/console-capability.ts';
import { ensurePrivateDir } from './fs/private-dir.ts';

export type EventListener = (channel: EventName<HearthContract>, payload: unknown) => void;

export interface Provider {
  /**
   * Validates, runs and answers one call; never throws. `caller` is the connected client
   * (see common/ipc/caller.ts); calls that keep per-client state (the console) need it.
   */
  dispatch(channel: unknown, payload: unknown, caller?: Caller): Promise<Envelope>;
  /** Every event core emits, for the shells to forward. */
  onEvent(listener: EventListener): () => void;
  stop(): Promise<void>;
}

/**
 * The composition root: builds every capability from the shell's ports and joins their
 * handlers into the one dispatcher both shells serve. Each capability owns its group.
 */
export interface ProviderOptions {
  /** 'off' keeps the local devnet from starting (tests that need no chain); default: HEARTH_DEVNET or 'auto'. */
  devnet?: 'auto' | 'off';
  /**
   * The default run's demand simulator on the local chain: 'auto' in the shells (HEARTH_SIMULATOR=off
   * turns it off), 'off' unless asked for, so tests that build a provider do not get one.
   */
  simulator?: 'auto' | 'off';
  /** The Console (a shell on this machine): default on in the desktop app, off in the daemon unless asked for (`--console`). */
  console?: 'on' | 'off';
}

export async function createProvider(ports: Ports, options: ProviderOptions = {}): Promise<Provider> {
  // Keys, settings and the runtime token live here: this user's eyes only, even in a folder made before.
  await ensurePrivateDir(ports.paths.dataDir);
  await ensurePrivateDir(ports.paths.cacheDir);
  const settings = await openSettingsStore(ports.paths.dataDir, () => ports.clock.now());
  const listeners = new Set<EventListener>();
  // Notifications follow core's own events (first payment, wallet locked, errors), through ports.notifier.
  const notes = createNotificationRules({ clock: ports.clock, notifier: ports.notifier, logger: ports.logger, general: () => settings.get().general });
  const emit: Emit = (event, payload) => {
    const parsed = contract.events[event].safeParse(payload);
    if (!parsed.success) {
      ports.logger.error('core emitted an invalid event', { event });
      return;
    }
    for (const listener of listeners) listener(event, parsed.data);
    notes.observe(event, parsed.data);
  };
  const ctx: CapabilityContext = { ports, settings, emit };
  const app = createAppCapability(ctx);
  // One inference worker for the app: the scheduler's jobs run on the supervisor worker:status reports.
  const worker = createWorkerCapability(ctx);
  // Telemetry must never count Hearth's own worker as "someone else on the GPU"; the supervisor knows its pid.
  const ownPids = (): number[] => {
    const pid = worker.supervisor.status().pid;
    return pid === null ? [] : [pid];
  };
  const hardware = createHardwareCapability(ctx, { ownPids });
  const wallet = createWalletCapability(ctx, options.devnet ? { devnet: options.devnet } : {});
  const market = createMarketCapability(ctx, { wallet, supervisor: worker.supervisor, store: worker.store, hardware, simulator: options.simulator === 'auto' });
  const positions = createPositionsCapability(ctx, { wallet, ledger: market.ledger });
  const terminal = createConsoleCapability(ports, { enabled: (options.console ?? (ports.shell === 'desktop' ? 'on' : 'off')) === 'on' });
  const practice = createPracticeJobSource({ ports, supervisor: worker.supervisor, store: worker.store });
  const scheduler = createSchedulerCapability(ctx, {
    hardware: { inventory: hardware.inventory, latest: hardware.latest, watchClosely: () => void hardware.handlers['hardware:set-rate']({ rate: 'foreground' }) },
    jobs: createMarketFirstJobSource(
      {
        // Paid work is the source once this machine is a staked provider; before that, practice.
        active: () => market.agent() !== undefined && ['waiting', 'working', 'locked'].includes(market.cachedStatus().state),
        hasWork: () => market.agent()?.hasWork() ?? false,
        describe: () => market.cachedStatus().reason,
        start: (devices) => market.agent()?.start(devices) ?? { none: 'the market is starting' },
      },
      practice,
    ),
  });
  // A restart to update waits while paid work is claimed and not yet committed.
  const update = createUpdateCapability(ctx, { paidJobRunning: () => market.cachedStatus().currentJob !== null || scheduler.status().job?.kind === 'paid' });
  // Stopped in reverse: the scheduler (and its running job) before the market and its ledger.
  const capabilities: Capability[] = [app, terminal, hardware, wallet, worker, market, positions, scheduler, update];
  // Spelled out so a call in the contract without a handler fails to typecheck.
  const handlers: AllHandlers = {
    ...app.handlers,
    ...hardware.handlers,
    ...wallet.handlers,
    ...scheduler.handlers,
    ...worker.handlers,
    ...market.handlers,
    ...positions.handlers,
    ...update.handlers,
    ...terminal.handlers,
  };
  const dispatch = createDispatcher(contract, handlers, {
    onInternalError: (channel, error) => ports.logger.error('call failed', { channel, error: String(error) }),
  });
  for (const capability of capabilities) await capability.start?.();
  let stopped = false;
  return {
    dispatch,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const capability of [...capabilities].reverse()) await capability.stop?.();
      listeners.clear();
    },
  };
}
