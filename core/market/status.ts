/**
 * The market status line: what Hearth is doing on the market, why, and what the user can
 * do next — one state and one sentence, plus the numbers the Overview and `hearth status`
 * show.
 */
import { formatUnits, parseUnits } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { ChainStatus } from '../../common/ipc/groups/chain.ts';
import type { MarketClassView, MarketState, MarketStatus } from '../../common/ipc/groups/market.ts';
import { classesForDevice } from '../../common/market/classes.ts';
import type { Settings } from '../../common/settings.ts';
import type { Ledger } from '../ledger/index.ts';
import type { AgentContext, MarketAgent } from './agent.ts';
import type { DeviceView } from './policy.ts';
import type { Reconciliation } from './reconcile.ts';
import type { MarketParamsOnChain } from './chain-reads.ts';

export interface StatusInput {
  settings: Settings;
  chain: ChainStatus;
  walletExists: boolean;
  locked: boolean;
  address: string | null;
  deployment: Deployment | null;
  context: AgentContext | undefined;
  agent: MarketAgent | null;
  ledger: Ledger | null;
  reconciliation: Reconciliation | null;
  suggestedClass: string | null;
  devices: DeviceView[];
  now: number;
  symbol: string;
}

export function buildStatus(s: StatusInput): MarketStatus {
  const provider = s.agent?.providerView() ?? null;
  const params: Map<string, MarketParamsOnChain> = s.agent?.marketParams() ?? new Map<string, MarketParamsOnChain>();
  const servable = new Set(s.devices.filter((d) => d.enabled).flatMap((d) => classesForDevice(d)));
  const classes: MarketClassView[] = (s.deployment?.markets ?? []).map((m) => {
    const p = params.get(m.address.toLowerCase());
    return {
      classLabel: m.classLabel,
      classId: m.classId,
      market: m.address,
      stakeWei: (provider?.stakes.get(m.classId) ?? 0n).toString(),
      lockedWei: (provider?.locked.get(m.classId) ?? 0n).toString(),
      minStakeWei: (provider?.minStakes.get(m.classId) ?? 0n).toString(),
      eligible: provider?.eligible.get(m.classId) ?? false,
      priceWei: (p?.price ?? 0n).toString(),
      floorWei: (p?.floor ?? 0n).toString(),
      servable: servable.has(m.classLabel),
    };
  });
  const registered = (provider?.id ?? 0) !== 0;
  const eligible = classes.some((c) => c.eligible);
  const chainId = s.context?.net.chainId ?? s.chain.network.chainId;
  const totals =
    s.ledger && s.address ? s.ledger.totals({ chainId, provider: s.address, feeBps: [...params.values()][0]?.feeBps ?? 0 }) : { jobsPaid: 0, earnedWei: '0', pendingWei: '0', lastPaymentAt: null };
  const current = s.agent?.current() ?? null;
  const currentJob = current && s.ledger?.getJob(current.key);
  const waiting = s.ledger && s.locked ? s.ledger.jobsIn(['claimed', 'committed'], chainId).length + s.ledger.jobsIn(['seen'], chainId).filter((j) => j.deadline > s.now).length : 0;
  const minWei = safeUnits(s.settings.market.minPricePerUnit);

  const [state, reason] = stateAndReason(s, { registered, eligible, classes, working: Boolean(currentJob), waiting, minWei });
  return {
    state,
    reason,
    address: s.address,
    registered,
    providerId: registered ? (provider?.id ?? null) : null,
    classes,
    suggestedClass: s.suggestedClass,
    currentJob: currentJob
      ? { key: currentJob.key, jobId: currentJob.jobId, model: currentJob.model, units: currentJob.units, state: currentJob.state, progress: current?.progress ?? null, startedAt: current?.startedAt ?? s.now }
      : null,
    waitingForUnlock: waiting,
    jobsPaid: totals.jobsPaid,
    earnedWei: totals.earnedWei,
    pendingWei: totals.pendingWei,
    lastPaymentAt: totals.lastPaymentAt,
    minPricePerUnitWei: minWei.toString(),
    reconciliation: s.reconciliation
      ? { at: s.reconciliation.at, ok: s.reconciliation.ok, ledgerWei: s.reconciliation.ledgerWei, chainWei: s.reconciliation.chainWei, message: s.reconciliation.message }
      : { at: null, ok: true, ledgerWei: totals.earnedWei, chainWei: '0', message: null },
    onboarding: {
      wallet: s.walletExists ? 'done' : 'todo',
      provider: eligible ? 'done' : s.settings.market.onboardingProvider === 'skipped' ? 'skipped' : 'todo',
      rules: s.settings.market.onboardingRules,
    },
  };
}

function stateAndReason(
  s: StatusInput,
  f: { registered: boolean; eligible: boolean; classes: MarketClassView[]; working: boolean; waiting: number; minWei: bigint },
): [MarketState, string] {
  const tokens = (wei: bigint) => `${formatUnits(wei, 18).replace(/\.0$/, '')} ${s.symbol}`;
  if (!s.settings.market.enabled) return ['off', 'Paid work is turned off in Settings; Hearth runs practice work only.'];
  if (s.chain.connection !== 'ready') {
    if (s.chain.devnet.state === 'starting' || s.chain.devnet.state === 'deploying') return ['no-network', 'The local chain is starting…'];
    return ['no-network', s.chain.error ?? `${s.chain.network.name} is not answering yet.`];
  }
  if (!s.deployment) return ['no-contracts', `Hearth does not know the protocol's addresses on ${s.chain.network.name}. Add its addresses file in Settings → Networks.`];
  if (!s.walletExists || !s.address) return ['no-wallet', 'Create or import a wallet to register this machine and be paid.'];
  if (!s.agent?.providerView()) return ['no-network', 'Reading your provider registration…'];
  if (!f.eligible) {
    return ['unregistered', f.registered ? 'Stake at least the minimum in a device class to take jobs.' : 'Register this machine as a provider and stake to take paid jobs.'];
  }
  if (s.locked) {
    return ['locked', f.waiting > 0 ? `The wallet is locked and ${f.waiting} job(s) wait for it: unlock it so Hearth can claim, commit and collect.` : 'The wallet is locked: unlock it so Hearth can claim jobs.'];
  }
  if (f.working) return ['working', 'Running a paid job.'];
  const staked = f.classes.filter((c) => c.eligible).map((c) => c.classLabel);
  const error = s.agent.lastError();
  if (error) return ['waiting', `Watching ${staked.join(', ')} for jobs; the last check failed (${error}) and will be retried.`];
  const short = s.agent.collateralShort();
  if (short) return ['waiting', `An open job waits for collateral. ${short}`];
  const price = f.minWei > 0n ? `jobs paying at least ${tokens(f.minWei)} per unit` : 'jobs at any price (no minimum set)';
  return ['waiting', `Watching the ${staked.join(', ')} market${staked.length > 1 ? 's' : ''} for ${price}; work starts while you are away.`];
}

function safeUnits(text: string): bigint {
  try {
    return parseUnits(text, 18);
  } catch {
    return 0n;
  }
}
