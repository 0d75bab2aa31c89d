/**
 * The market agent: follows each market this provider is staked in, records and decides
 * every job posted there, hands the scheduler paid work (claimed only when the machine is
 * free), settles committed jobs after their window, and recovers after a restart from
 * what the chain says. All chain access goes through the app's RPC client and transaction
 * manager; the only key use is the wallet's signer.
 */
import { isHearthError } from '../../common/errors.ts';
import type { Deployment, MarketDeployment } from '../../common/contracts/addresses.ts';
import { JOB_STATUS } from '../../common/contracts/market.ts';
import { modelHashOf, type JobInputDocument } from '../../common/market/job-format.ts';
import type { MarketJobDetail, MarketJobState } from '../../common/ipc/groups/market.ts';
import type { ModelEntry } from '../../common/worker/model-spec.ts';
import type { ActiveNetwork } from '../chain/tx-manager.ts';
import type { Clock, Logger } from '../ports.ts';
import type { JobHandle, JobOutcome } from '../scheduler/jobs.ts';
import { latestBlock, marketIface, readJobState, readMarketParams, readProvider, type MarketParamsOnChain, type ProviderOnChain } from './chain-reads.ts';
import { applyMarketLog, applyMarketLogs, isTerminal, type MarketLog, type PostedJob } from './events.ts';
import { createChainClock } from './chain-clock.ts';
import { createEventFollower } from './follower.ts';
import { decideJob, type DeviceView, type PolicyContext } from './policy.ts';
import { claim, execute, prepare, resolveExpiredDispute, settle, type RunnerDeps } from './runner.ts';
import { syncJobsWithChain, UNFINISHED } from './recovery.ts';
import { elapsedSince } from '../elapsed.ts';

/** Blocks looked back on a first start, so a new provider does not scan a chain's whole history. */
const FIRST_LOOKBACK = 2_000;
/** Seconds kept before a deadline for fetching, delivering and committing. */
const MARGIN_S = 20;
const SETTLED_TOPIC = marketIface.getEvent('JobSettled')!.topicHash;
/** A claimed job that fails this often (crash, bad output) is given up. */
const MAX_ATTEMPTS = 3;

export interface AgentContext {
  net: ActiveNetwork;
  deployment: Deployment;
  address: string;
  unlocked: boolean;
  /** The default run's local chain: its simulator serves inputs on 127.0.0.1. */
  devnet: boolean;
}

export interface AgentDeps extends Omit<RunnerDeps, 'chainId' | 'inputs' | 'network' | 'allowPrivateHosts'> {
  clock: Clock;
  /** Monotonic milliseconds for chain time between blocks (performance.now by default; tests pass a fake). */
  monotonicNow?: () => number;
  logger: Logger;
  catalog: readonly ModelEntry[];
  context: () => AgentContext | undefined;
  devices: () => DeviceView[];
  minPricePerUnitWei: () => bigint;
  electricityPerKwhWei: () => bigint | null;
  confirmations: () => number;
  symbol: () => string;
  onChange: () => void;
}

interface ChainView {
  key: string;
  provider: ProviderOnChain | null;
  params: Map<string, MarketParamsOnChain>;
  followers: Map<string, ReturnType<typeof createEventFollower>>;
  recovered: boolean;
  readAt: number;
}

export function createMarketAgent(deps: AgentDeps) {
  const { ledger, clock, logger } = deps;
  // Deadlines are the chain's: judged by its clock, so a wrong or stepped wall clock neither drops
  // claimed work (a day forward) nor takes jobs that can no longer finish (a day back).
  const chainClock = createChainClock(clock, deps.monotonicNow);
  const chainNow = (): number => chainClock.now(deps.context()?.devnet ?? true);
  const inputs = new Map<string, JobInputDocument>();
  const attempts = new Map<string, number>();
  let view: ChainView | null = null;
  let ticking = false;
  let busy: { key: string; progress: number | null; startedAt: number } | null = null;
  let lastError: string | null = null;
  /** Why open jobs are passed over for want of free stake, from the last look for work. */
  let collateralShort: string | null = null;
  /** Units per second each device showed on real jobs (exponential average). */
  const observed = new Map<string, number>();
  const onRun = (deviceId: string, units: number, runMs: number): void => {
    if (runMs <= 0 || units <= 0) return;
    const speed = (units * 1000) / runMs;
    const before = observed.get(deviceId);
    observed.set(deviceId, before === undefined ? speed : before * 0.7 + speed * 0.3);
  };

  // The RPC URLs are part of it: the followers hold the client they were made with, and a local
  // chain restarted after a crash comes back on a new port, perhaps from a state file older than
  // our last transactions. A new key means new followers and a full recovery from the chain.
  const chainKey = (c: AgentContext) => `${c.net.chainId}:${c.deployment.staking.toLowerCase()}:${c.address.toLowerCase()}:${c.net.rpc.urls.join(',')}`;
  const runnerDeps = (c: AgentContext): RunnerDeps => ({ ...deps, network: () => c.net, chainId: c.net.chainId, inputs, allowPrivateHosts: c.devnet, onRun });
  const modelOf = (hash: string) => deps.catalog.find((m) => modelHashOf(m.sha256) === hash.toLowerCase());
  const eligibleLabels = (): Set<string> => {
    const labels = new Set<string>();
    const c = deps.context();
    if (!c || !view?.provider) return labels;
    for (const m of c.deployment.markets) if (view.provider.eligible.get(m.classId)) labels.add(m.classLabel);
    return labels;
  };
  const marketOf = (c: AgentContext, address: string): MarketDeployment | undefined =>
    c.deployment.markets.find((m) => m.address.toLowerCase() === address.toLowerCase());

  function decide(job: MarketJobDetail, nowMs: number, devices?: readonly string[]) {
    const market = view?.params.get(job.market.toLowerCase());
    return decideJob(
      { classLabel: job.classLabel, units: job.units, maxPricePerUnitWei: BigInt(job.maxPricePerUnitWei), deadlineMs: job.deadline, modelHash: modelHashFromLedger(job), inputUri: job.inputUri },
      {
        nowMs,
        catalog: deps.catalog,
        devices: deps.devices().map((d) => ({
          ...d,
          enabled: d.enabled && (!devices || devices.includes(d.id)),
          unitsPerSecond: d.unitsPerSecond ?? observed.get(d.id) ?? null,
        })),
        eligibleClasses: eligibleLabels(),
        currentPriceWei: market?.price ?? 0n,
        minPricePerUnitWei: deps.minPricePerUnitWei(),
        electricityPerKwhWei: deps.electricityPerKwhWei(),
        feeBps: market?.feeBps ?? 0,
        marginSeconds: MARGIN_S,
        symbol: deps.symbol(),
        ...collateralOf(job.market, market),
      },
    );
  }

  /** The class's free and locked stake and the market's collateral rule, when both are known. */
  function collateralOf(marketAddress: string, market: MarketParamsOnChain | undefined): Pick<PolicyContext, 'collateral'> {
    const c = deps.context();
    const classId = c ? marketOf(c, marketAddress)?.classId : undefined;
    const provider = view?.provider;
    if (!market || !provider || !classId) return {};
    const active = provider.stakes.get(classId) ?? 0n;
    const locked = provider.locked.get(classId) ?? 0n;
    return { collateral: { freeStakeWei: active > locked ? active - locked : 0n, lockedWei: locked, missPenaltyWei: market.missPenalty, collateralBps: market.collateralBps } };
  }

  function modelHashFromLedger(job: MarketJobDetail): string {
    const known = deps.catalog.find((m) => m.id === job.model);
    return known ? modelHashOf(known.sha256) : job.model;
  }

  function onPosted(c: AgentContext, posted: PostedJob): void {
    const market = marketOf(c, posted.market);
    if (!market || !eligibleLabels().has(market.classLabel)) return;
    const model = modelOf(posted.modelHash);
    const added = ledger.addJob({
      chainId: c.net.chainId,
      market: posted.market,
      classLabel: market.classLabel,
      jobId: posted.jobId.toString(),
      requester: posted.requester,
      model: model?.id ?? posted.modelHash,
      modelHash: posted.modelHash,
      units: posted.units,
      maxPricePerUnitWei: posted.maxPricePerUnit.toString(),
      deadline: Number(posted.deadline) * 1000,
      inputUri: posted.inputUri,
      inputHash: posted.inputHash,
      postedBlock: posted.block,
    });
    if (!added) return;
    const job = ledger.getJob(posted.key);
    if (!job) return;
    const decision = decide(job, chainNow());
    // Short of free stake is not final: the job waits while stake is added or other claims close.
    if (!decision.accept && decision.code === 'collateral_short') ledger.transition(posted.key, 'seen', decision.reason);
    else if (!decision.accept) ledger.transition(posted.key, 'declined', decision.reason);
    else ledger.transition(posted.key, 'seen', `Worth taking: ${decision.expectedRunMs > 0 ? `about ${Math.ceil(decision.expectedRunMs / 1000)} s on ${decision.deviceId}` : decision.deviceId}`);
  }

  async function refresh(c: AgentContext, force = false): Promise<void> {
    const key = chainKey(c);
    if (!view || view.key !== key) view = { key, provider: null, params: new Map(), followers: new Map(), recovered: false, readAt: 0 };
    if (!force && elapsedSince(clock.now(), view.readAt) < 5_000 && view.provider) return;
    const classIds = c.deployment.markets.map((m) => m.classId);
    view.provider = await readProvider(c.net.rpc, c.deployment.staking, c.address, classIds);
    for (const m of c.deployment.markets) view.params.set(m.address.toLowerCase(), await readMarketParams(c.net.rpc, m.address));
    view.readAt = clock.now();
  }

  function follower(c: AgentContext, m: MarketDeployment, head: number) {
    const name = `${c.net.chainId}:${m.address.toLowerCase()}`;
    let f = view!.followers.get(name);
    if (!f) {
      const fromBlock = ledger.getCursor(name) ? c.deployment.startBlock : Math.max(c.deployment.startBlock, head - FIRST_LOOKBACK);
      f = createEventFollower({
        rpc: c.net.rpc,
        address: m.address,
        fromBlock,
        // The local chain makes a block only per transaction and cannot reorg: waiting for depth there would wait forever.
        confirmations: c.devnet ? 0 : deps.confirmations(),
        store: ledger,
        name,
        logger,
        onLogs: async (logs) => {
          // Payments are dated by their block, so a replay after downtime lands on the right day.
          const times = await blockTimes(c, (logs as MarketLog[]).filter((l) => l.topics[0] === SETTLED_TOPIC));
          applyMarketLogs(
            logs,
            (log) => {
              const at = times.get(log.blockNumber) ?? clock.now();
              return { ledger, chainId: c.net.chainId, me: c.address.toLowerCase(), onPosted: (p) => onPosted(c, p), now: () => at, symbol: deps.symbol() };
            },
            (log, error) => logger.error('market log not recorded', { tx: log.transactionHash, error: message(error) }),
          );
        },
      });
      view!.followers.set(name, f);
    }
    return f;
  }

  async function blockTimes(c: AgentContext, logs: MarketLog[]): Promise<Map<string, number>> {
    const times = new Map<string, number>();
    for (const blockNumber of new Set(logs.map((l) => l.blockNumber))) {
      const block = await c.net.rpc.request<{ timestamp: string } | null>('eth_getBlockByNumber', [blockNumber, false]);
      if (block) times.set(blockNumber, Number(BigInt(block.timestamp)) * 1000);
    }
    return times;
  }

  /** Unfinished jobs (after a restart: all of them) set from what the chain says; see recovery.ts. */
  /** `includeBusy`: also the running job (its runner asks, having just failed). */
  async function recover(c: AgentContext, states: MarketJobState[] = UNFINISHED, includeBusy = false): Promise<void> {
    const pendingLabels = new Set(deps.txs.list().filter((t) => t.status === 'pending').map((t) => t.label));
    const skip = busy && !includeBusy ? { skipKey: busy.key } : {};
    await syncJobsWithChain({ ledger, rpc: c.net.rpc, chainId: c.net.chainId, providerId: view?.provider?.id, states, pendingLabels, ...skip });
  }

  async function settleDue(c: AgentContext): Promise<void> {
    if (!c.unlocked) return;
    const due = ledger.jobsIn(['committed', 'disputed'], c.net.chainId);
    if (due.length === 0) return;
    let block = await latestBlock(c.net.rpc);
    for (const job of due) {
      const st = await readJobState(c.net.rpc, job.market, BigInt(job.jobId));
      const status = JOB_STATUS[st.status];
      // While disputed, windowEnd is the ruling deadline: past it, the default outcome pays us.
      if (status !== 'Committed' && status !== 'Disputed') continue;
      if (block.timestamp < st.windowEnd && c.devnet && clock.now() / 1000 >= st.windowEnd) {
        // The local chain makes blocks only for transactions: make one so its clock passes the window.
        await c.net.rpc.request('evm_mine', []);
        block = await latestBlock(c.net.rpc);
      }
      if (block.timestamp < st.windowEnd) continue;
      try {
        const logs = status === 'Disputed' ? await resolveExpiredDispute(job, runnerDeps(c)) : await settle(job, runnerDeps(c));
        for (const log of logs) {
          applyMarketLog(log, { ledger, chainId: c.net.chainId, me: c.address.toLowerCase(), onPosted: () => undefined, now: () => clock.now(), symbol: deps.symbol() });
        }
      } catch (error) {
        // Someone else (the requester, the arbiter) may have acted first; the followed event records it either way.
        ledger.transition(job.key, status === 'Disputed' ? 'disputed' : 'committed', `Collecting failed, will retry: ${message(error)}`);
      }
    }
  }

  /** One pass: read, follow, settle. Concurrent calls share nothing; a pass in progress is not repeated. */
  async function tick(): Promise<void> {
    if (ticking) return;
    ticking = true;
    try {
      const c = deps.context();
      if (!c) return;
      await refresh(c);
      if (!view!.recovered) {
        await recover(c);
        view!.recovered = true;
      }
      const latest = await latestBlock(c.net.rpc);
      chainClock.observe(latest.timestamp);
      const head = latest.number;
      for (const m of c.deployment.markets) {
        if (!eligibleLabels().has(m.classLabel)) continue;
        await follower(c, m, head).poll();
      }
      // Claims and commits whose sending failed are settled by what the chain says.
      await recover(c, ['claiming', 'committing', 'settling']);
      // Open jobs whose deadline passed are closed here, so the candidate list never grows without end.
      for (const job of ledger.jobsIn(['seen'], c.net.chainId)) {
        if (job.deadline <= chainNow()) ledger.transition(job.key, 'abandoned', 'Its deadline passed before this machine was free to take it.');
      }
      await settleDue(c);
      lastError = null;
    } catch (error) {
      lastError = message(error);
      logger.warn('market tick failed', { error: lastError });
    } finally {
      ticking = false;
      deps.onChange();
    }
  }

  /** A job the scheduler could run now: a claimed one to resume first, else the best open one. */
  /** `record`: write final declines to the ledger (start does; the frequent hasWork question does not). */
  function nextCandidate(devices: readonly string[] | undefined, record: boolean): { job: MarketJobDetail; deviceId: string; modelId: string } | { none: string } {
    const c = deps.context();
    if (!c) return { none: 'the market is not connected' };
    if (!c.unlocked) return { none: 'the wallet is locked' };
    const now = chainNow();
    for (const job of ledger.jobsIn(['claimed'], c.net.chainId)) {
      const model = deps.catalog.find((m) => m.id === job.model);
      if (job.deadline - MARGIN_S * 1000 / 2 <= now || !model) continue;
      const device = devices?.[0] ?? deps.devices().find((d) => d.enabled)?.id;
      if (device) return { job, deviceId: device, modelId: model.id };
    }
    const seen = ledger.jobsIn(['seen'], c.net.chainId).filter((j) => j.deadline > now).sort((a, b) => a.deadline - b.deadline);
    let short: string | null = null;
    for (const job of seen) {
      const decision = decide(job, now, devices);
      if (!decision.accept) {
        if (decision.code === 'collateral_short') short ??= decision.reason;
        // Prices and devices change; only a final reason (not staked, unknown model) declines for good.
        if (record && ['model_unknown', 'not_eligible', 'deadline_unreachable'].includes(decision.code)) ledger.transition(job.key, 'declined', decision.reason);
        continue;
      }
      const model = deps.catalog.find((m) => m.id === job.model);
      if (model) {
        collateralShort = null;
        return { job, deviceId: decision.deviceId, modelId: model.id };
      }
    }
    collateralShort = short;
    if (short) return { none: short };
    return { none: seen.length === 0 ? 'no open jobs in your markets right now' : 'no open job pays at least your minimum right now' };
  }

  function start(devices: readonly string[]): JobHandle | { none: string } {
    if (busy) return { none: 'the previous paid job is still finishing' };
    const pick = nextCandidate(devices, true);
    if ('none' in pick) return pick;
    const c = deps.context()!;
    const { job, deviceId, modelId } = pick;
    let preempted = false;
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    busy = { key: job.key, progress: null, startedAt: clock.now() };
    deps.onChange();
    const r = runnerDeps(c);
    const work = async (): Promise<JobOutcome> => {
      // Start the worker while the input downloads: its fork and model load are not the job's time.
      void deps.supervisor.start().catch(() => undefined);
      if (job.state === 'seen') {
        await prepare(job, r, modelId);
        if (preempted) {
          ledger.transition(job.key, 'seen', 'Not claimed: you came back before it started.');
          return { kind: 'preempted' };
        }
        await claim(job, r, deps.minPricePerUnitWei());
      }
      markStarted();
      const fresh = ledger.getJob(job.key) ?? job;
      const outcome = await execute(fresh, r, { modelId, deviceId, preempted: () => preempted, onProgress: (p) => busy && (busy.progress = p) });
      return outcome.kind === 'preempted' ? { kind: 'preempted' } : { kind: 'completed' };
    };
    const done = work()
      .catch((error: unknown): Promise<JobOutcome> => failed(c, job, error))
      .finally(() => {
        busy = null;
        markStarted();
        deps.onChange();
      });
    return {
      job: { id: job.key, kind: 'paid', label: `Job ${job.jobId} · ${modelId} · ${job.units} units`, startedAt: clock.now(), deviceId },
      done,
      started,
      async preempt() {
        preempted = true;
        await deps.supervisor.preempt(150).catch(() => undefined);
        await done;
      },
    };
  }

  async function failed(c: AgentContext, job: MarketJobDetail, error: unknown): Promise<JobOutcome> {
    const text = message(error);
    const current = ledger.getJob(job.key);
    if (!current || isTerminal(current.state)) return { kind: 'failed', message: text };
    const code = isHearthError(error) ? error.code : 'internal';
    if (current.state === 'claiming' || current.state === 'committing') {
      // The transaction may have landed although sending reported an error (the RPC dropped after
      // broadcasting): the chain decides, now or on a later tick.
      ledger.transition(job.key, current.state, `Checking with the chain whether the ${current.state === 'claiming' ? 'claim' : 'commit'} landed (${text})`);
      // A failed commit is checked against the chain now, the running job included: a local chain
      // restored from a state file older than our claim says the job is open again. (A failed claim
      // keeps the old path: it is abandoned below, never retried in a loop.)
      // The network as it is now: the one the job started on may be gone (a restarted local chain).
      await recover(deps.context() ?? c, [current.state], current.state === 'committing').catch(() => undefined);
      const after = ledger.getJob(job.key);
      // Only a refusal ends it; an RPC that did not answer leaves it for the tick's recovery to reopen.
      if (after?.state === 'claiming' && code !== 'tx_pending' && code !== 'network_unavailable' && code !== 'rpc_unreachable') {
        ledger.transition(job.key, 'abandoned', `Could not claim it: ${text}`);
        return { kind: 'skipped', reason: text };
      }
      // Open again on the chain: nothing of ours is there, so it may be taken again at once.
      if (current.state === 'committing' && after?.state === 'seen') return { kind: 'skipped', reason: text };
      return { kind: 'failed', message: text };
    }
    if (current.state === 'seen' || current.state === 'fetching') {
      // Nothing was claimed: declining costs nothing, and the next job may start at once.
      ledger.transition(job.key, 'declined', text);
      return { kind: 'skipped', reason: text };
    }
    const n = (attempts.get(job.key) ?? 0) + 1;
    attempts.set(job.key, n);
    if (n >= MAX_ATTEMPTS) ledger.transition(job.key, 'failed', `Gave up after ${n} attempts: ${text}`);
    else ledger.transition(job.key, 'claimed', `Attempt ${n} failed (${text}); it will run again while the deadline allows.`);
    return { kind: 'failed', message: text };
  }

  return {
    tick,
    start,
    /** True when paid work is waiting, so practice work should make way. */
    hasWork: () => !busy && !('none' in nextCandidate(undefined, false)),
    current: () => busy,
    lastError: () => lastError,
    providerView: () => view?.provider ?? null,
    /** Set while open jobs wait because free stake does not cover their collateral. */
    collateralShort: () => collateralShort,
    marketParams: () => view?.params ?? new Map<string, MarketParamsOnChain>(),
    /** Forget cached chain reads (after registering). */
    invalidate: async () => {
      const c = deps.context();
      if (c) await refresh(c, true);
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type MarketAgent = ReturnType<typeof createMarketAgent>;
