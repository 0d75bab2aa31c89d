/**
 * `positions:*`: the Earn page's positions service on the wallet's chain, account and
 * transaction manager, with the market's ledger for value history.
 */
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { AllHandlers, Capability, CapabilityContext } from '../capability.ts';
import type { Ledger } from '../ledger/index.ts';
import type { TimerHandle } from '../ports.ts';
import type { WalletCapability } from '../wallet/wallet-capability.ts';
import { createPositionsService } from './service.ts';

type PositionsHandlers = Pick<AllHandlers, 'positions:get' | 'positions:preview' | 'positions:act' | 'positions:history'>;

export interface PositionsCapabilityDeps {
  wallet: Pick<WalletCapability, 'chain' | 'wallet' | 'transactions'>;
  /** The ledger the market capability opened (one process holds it). */
  ledger: () => Ledger | undefined;
  /** How often the value history is sampled with nobody looking (ms); tests shorten it. */
  sampleEveryMs?: number;
}

/** The Earn chart needs points while the page is closed too; a read every 10 minutes is cheap. */
const SAMPLE_EVERY_MS = 10 * 60_000;

export function createPositionsCapability(ctx: CapabilityContext, deps: PositionsCapabilityDeps) {
  const { ports, settings } = ctx;
  const { chain, wallet } = deps.wallet;

  const deployment = (): Deployment | undefined => {
    const running = chain.runningDevnet();
    if (running) return running.deployment.protocol;
    const id = settings.get().wallet.network;
    return settings.get().wallet.networks.find((n) => n.id === id)?.deployment;
  };

  const service = createPositionsService({
    clock: ports.clock,
    logger: ports.logger,
    network: () => chain.active(),
    networkProblem: () => {
      const s = chain.status();
      return s.error ?? `${s.network.name} is not reachable right now; positions show again when it answers.`;
    },
    chainId: () => chain.status().network.chainId,
    deployment,
    account: () => {
      if (!wallet.status().exists) return { missing: 'There is no wallet yet: create or import one to see its positions.' };
      const address = wallet.selectedAddress();
      return address ? { address } : { missing: 'The wallet has no selected account.' };
    },
    signer: () => wallet.signer(),
    txs: () => deps.wallet.transactions(),
    ledger: deps.ledger,
    tokenSymbol: () => chain.tokens()[0]?.symbol ?? 'HRTH',
    nativeSymbol: () => chain.status().network.nativeSymbol,
    touch: () => wallet.touch(),
    onTx: (label, hash, gasWei, status, block) =>
      deps.ledger()?.recordTx({ hash, jobKey: null, label, status, gasWei: gasWei.toString(), blockNumber: block }),
  });

  const handlers: PositionsHandlers = {
    'positions:get': () => service.get(),
    'positions:preview': (action) => service.preview(action),
    'positions:act': (action) => service.act(action),
    'positions:history': ({ days }) => ({ samples: service.history(days) }),
  };
  // Reading the view records a sample (at most one a minute); with no account or network it
  // records nothing and says why, which is not worth a log line every ten minutes.
  let timer: TimerHandle | undefined;
  let sampling = false;
  const sample = async (): Promise<void> => {
    if (sampling) return;
    sampling = true;
    try {
      await service.get();
    } catch (error) {
      ports.logger.debug('positions: background sample failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      sampling = false;
    }
  };

  return {
    handlers,
    service,
    start() {
      timer = ports.clock.setInterval(() => void sample(), deps.sampleEveryMs ?? SAMPLE_EVERY_MS);
    },
    stop() {
      if (timer) ports.clock.clearInterval(timer);
      timer = undefined;
    },
  } satisfies Capability & Record<string, unknown>;
}

export type PositionsCapability = ReturnType<typeof createPositionsCapability>;
