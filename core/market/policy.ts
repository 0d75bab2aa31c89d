/**
 * Whether to claim a job, decided from what the provider knows locally, with a reason
 * for every decline (shown on the Jobs page). Pure: no I/O, no clock (now is given).
 * Token amounts stay bigint wei throughout; only durations are numbers.
 */
import { classesForDevice } from '../../common/market/classes.ts';
import { modelHashOf } from '../../common/market/job-format.ts';
import type { ModelEntry } from '../../common/worker/model-spec.ts';

export interface JobOffer {
  classLabel: string;
  units: number;
  maxPricePerUnitWei: bigint;
  deadlineMs: number;
  modelHash: string;
  inputUri: string;
}

export interface DeviceView {
  id: string;
  kind: 'gpu' | 'cpu';
  name: string;
  vramMiB: number | null;
  enabled: boolean;
  vramCapMiB: number | null;
  /** inference units per second from the device benchmark for this model family, null if never measured */
  unitsPerSecond: number | null;
  powerW: number | null;
}

export interface PolicyContext {
  nowMs: number;
  catalog: readonly ModelEntry[];
  devices: DeviceView[];
  eligibleClasses: ReadonlySet<string>;
  currentPriceWei: bigint;
  minPricePerUnitWei: bigint;
  electricityPerKwhWei: bigint | null;
  feeBps: number;
  /** seconds of margin kept before a deadline for fetch, deliver and commit */
  marginSeconds: number;
  /** Token symbol for the reasons (default HRTH). */
  symbol?: string;
  /**
   * Collateral rule of the job's market and the stake free to lock in its class; a claim
   * locks `collateralWei(...)` of free stake. Omitted: not checked (markets without collateral).
   */
  collateral?: { freeStakeWei: bigint; lockedWei: bigint; missPenaltyWei: bigint; collateralBps: number };
}

export type Decision =
  | { accept: true; deviceId: string; expectedRunMs: number; grossWei: bigint; netWei: bigint; electricityWei: bigint | null }
  | { accept: false; code: DeclineCode; reason: string };

export type DeclineCode =
  | 'invalid_offer'
  | 'not_eligible'
  | 'model_unknown'
  | 'no_device'
  | 'price_above_max'
  | 'below_minimum'
  | 'deadline_unreachable'
  | 'collateral_short'
  | 'unprofitable';

/**
 * Speeds assumed for a device never benchmarked, deliberately low so that an unmeasured
 * device only takes jobs with generous deadlines (the benchmark replaces them).
 */
// About a thirtieth of what the PaddleOCR recognizer measured on a 2-core CI machine's CPU
// (27.7 units/s): low enough for a slow laptop, high enough not to decline every batch job.
export const DEFAULT_UNITS_PER_SECOND: Readonly<Record<DeviceView['kind'], number>> = { gpu: 10, cpu: 1 };

const MIB = 1024 * 1024;
const BPS = 10_000n;
/** milliwatt·milliseconds per kWh: 1 kWh = 3.6e6 W·s = 3.6e12 mW·ms. */
const MW_MS_PER_KWH = 3_600_000_000_000n;

/**
 * Memory a model needs on a device, in MiB. An estimate, not a measurement: weights once,
 * about twice again for activations and runtime workspace, plus 256 MiB of runtime overhead.
 */
export function estimateModelMemoryMiB(model: Pick<ModelEntry, 'sizeBytes'>): number {
  return Math.ceil((model.sizeBytes * 3) / MIB) + 256;
}

/** Expected run time in whole milliseconds (rounded up, so the deadline check errs on the safe side). */
export function expectedRunMs(units: number, device: Pick<DeviceView, 'kind' | 'unitsPerSecond'>): number {
  const ups = device.unitsPerSecond !== null && device.unitsPerSecond > 0 ? device.unitsPerSecond : DEFAULT_UNITS_PER_SECOND[device.kind];
  return Math.ceil((units * 1000) / ups);
}

/** Electricity for a run, in token wei, rounded up; null when power or price is unknown. */
export function electricityCostWei(powerW: number | null, runMs: number, perKwhWei: bigint | null): bigint | null {
  if (powerW === null || perKwhWei === null || !(powerW >= 0)) return null;
  const milliwatts = BigInt(Math.round(powerW * 1000));
  const product = milliwatts * BigInt(runMs) * perKwhWei;
  return (product + MW_MS_PER_KWH - 1n) / MW_MS_PER_KWH;
}

/** Granularity JobMarket stores collateral in (COLLATERAL_UNIT): amounts round up to it. */
const COLLATERAL_UNIT = 10n ** 9n;

/**
 * Collateral a claim locks, as JobMarket.collateralFor computes it: the larger of the miss
 * penalty and `collateralBps` of the job's value (rounded up), rounded up to COLLATERAL_UNIT.
 */
export function collateralWei(units: number, priceWei: bigint, missPenaltyWei: bigint, collateralBps: number): bigint {
  const value = BigInt(units) * priceWei;
  let need = (value * BigInt(collateralBps) + BPS - 1n) / BPS;
  if (need < missPenaltyWei) need = missPenaltyWei;
  return ((need + COLLATERAL_UNIT - 1n) / COLLATERAL_UNIT) * COLLATERAL_UNIT;
}

/** The provider's share of a gross payment after the protocol fee, rounded as the contract does. */
export function netAfterFee(grossWei: bigint, feeBps: number): bigint {
  return grossWei - (grossWei * BigInt(feeBps)) / BPS;
}

/**
 * Decides one job. Checks in order: the offer is well-formed, the class is staked, the
 * model is known, a device can serve it, the price is inside [minimum, job max], the
 * deadline is reachable with margin, electricity costs less than the net pay. Accepts on
 * the fastest suitable device (a GPU on a tie) that passes the last two checks.
 */
export function decideJob(offer: JobOffer, ctx: PolicyContext): Decision {
  const symbol = ctx.symbol ?? 'HRTH';
  const decline = (code: DeclineCode, reason: string): Decision => ({ accept: false, code, reason });

  if (!Number.isSafeInteger(offer.units) || offer.units <= 0) return decline('invalid_offer', 'The job asks for no work (zero or invalid units).');

  if (!ctx.eligibleClasses.has(offer.classLabel)) {
    return decline('not_eligible', `You have no stake in the ${offer.classLabel} class, so you cannot claim its jobs.`);
  }

  const model = ctx.catalog.find((m) => modelHashOf(m.sha256) === offer.modelHash.toLowerCase());
  if (!model) return decline('model_unknown', `The job's model (${shortHash(offer.modelHash)}) is not in your model catalog.`);

  const serving = ctx.devices.filter((d) => d.enabled && classesForDevice(d).includes(offer.classLabel));
  if (serving.length === 0) return decline('no_device', `No enabled device of yours serves ${offer.classLabel} jobs.`);
  const needMiB = estimateModelMemoryMiB(model);
  const fitting = serving.filter((d) => {
    const limits = [d.vramMiB, d.vramCapMiB].filter((v): v is number => v !== null);
    return limits.length === 0 || Math.min(...limits) >= needMiB;
  });
  if (fitting.length === 0) {
    return decline('no_device', `${model.name} needs about ${needMiB} MiB of device memory (an estimate); no enabled device has that much free to use.`);
  }

  if (ctx.currentPriceWei > offer.maxPricePerUnitWei) {
    return decline(
      'price_above_max',
      `The market price is ${formatToken(ctx.currentPriceWei, symbol)} per unit, above this job's maximum of ${formatToken(offer.maxPricePerUnitWei)}; a claim would fail.`,
    );
  }
  if (ctx.currentPriceWei < ctx.minPricePerUnitWei) {
    return decline('below_minimum', `Pays ${formatToken(ctx.currentPriceWei, symbol)} per unit; your minimum is ${formatToken(ctx.minPricePerUnitWei)}.`);
  }

  if (ctx.collateral) {
    const { freeStakeWei, lockedWei, missPenaltyWei, collateralBps } = ctx.collateral;
    const need = collateralWei(offer.units, ctx.currentPriceWei, missPenaltyWei, collateralBps);
    if (need > freeStakeWei) {
      const held = lockedWei > 0n ? ` (${formatToken(lockedWei, symbol)} is held by jobs in progress)` : '';
      return decline(
        'collateral_short',
        `Claiming it locks ${formatToken(need, symbol)} of stake as collateral; ${formatToken(freeStakeWei, symbol)} of your ${offer.classLabel} stake is free${held}. Stake more to take jobs this size.`,
      );
    }
  }

  const candidates = fitting
    .map((d) => ({ device: d, runMs: expectedRunMs(offer.units, d) }))
    .sort((a, b) => a.runMs - b.runMs || kindRank(a.device) - kindRank(b.device) || a.device.id.localeCompare(b.device.id));
  const marginMs = ctx.marginSeconds * 1000;
  const inTime = candidates.filter((c) => ctx.nowMs + c.runMs + marginMs <= offer.deadlineMs);
  if (inTime.length === 0) {
    const best = candidates[0]!;
    const left = offer.deadlineMs - ctx.nowMs;
    return decline(
      'deadline_unreachable',
      `Needs about ${formatDuration(best.runMs)} on ${best.device.name} plus ${formatDuration(marginMs)} of margin; the deadline is ${left > 0 ? `in ${formatDuration(left)}` : 'past'}.`,
    );
  }

  const grossWei = ctx.currentPriceWei * BigInt(offer.units);
  const netWei = netAfterFee(grossWei, ctx.feeBps);
  for (const c of inTime) {
    const electricityWei = electricityCostWei(c.device.powerW, c.runMs, ctx.electricityPerKwhWei);
    if (electricityWei === null || electricityWei < netWei) {
      return { accept: true, deviceId: c.device.id, expectedRunMs: c.runMs, grossWei, netWei, electricityWei };
    }
  }
  const first = inTime[0]!;
  const cost = electricityCostWei(first.device.powerW, first.runMs, ctx.electricityPerKwhWei) ?? 0n;
  return decline('unprofitable', `Electricity would cost about ${formatToken(cost, symbol)}, not less than the ${formatToken(netWei)} it pays after fees.`);
}

function kindRank(d: DeviceView): number {
  return d.kind === 'gpu' ? 0 : 1;
}

/** Wei as a token amount with 18 decimals, trailing zeros trimmed: 100000000000000n → "0.0001". */
export function formatToken(wei: bigint, symbol?: string): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const whole = abs / 10n ** 18n;
  const frac = (abs % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  const text = `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
  return symbol ? `${text} ${symbol}` : text;
}

/** A duration for people: "45 s", "12 min", "3.5 h", "2.1 days". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 90 * 60) return `${Math.ceil(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 360) / 10} h`;
  return `${Math.round(s / 8640) / 10} days`;
}

function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 10)}…${hash.slice(-4)}` : hash;
}
