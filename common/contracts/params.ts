import { id } from 'ethers';

/** Device classes are bytes32 ids derived from a readable label. */
export function classIdOf(label: string): string {
  return id(label);
}

/** Market parameters, per device class. Durations in seconds, prices in token wei. */
export interface MarketParams {
  classLabel: string;
  minStake: bigint;
  epochLength: number;
  targetUnitsPerEpoch: number;
  initialPrice: bigint;
  floorPrice: bigint;
  maxStepBps: number;
  challengeWindow: number;
  maxJobDuration: number;
  feeBps: number;
  /** Collateral floor per claim and the least a missed deadline costs (<= 1e6 tokens). */
  missPenalty: bigint;
  /** Least dispute bond, > 0 (<= 1e6 tokens). */
  disputeBond: bigint;
  /** Seconds the arbiter has to rule a dispute before anyone may close it with the default
   * outcome (provider paid, bond returned); 60 s .. 30 days. */
  rulingPeriod: number;
  /** Collateral per claim as a share of the job's value (units x claim price), in bps:
   * 10_000 .. 50_000. The claim locks max(missPenalty, value x collateralBps). */
  collateralBps: number;
  /** Least dispute bond as a share of the job's value, in bps: 0 .. 10_000. */
  disputeBondBps: number;
}

/**
 * LendingVault parameters, fixed at deployment. Annual rates and the kink are 1e18 fixed
 * point (1e18 = 100 %); the vault turns the rates into per-second rates.
 */
export interface LendingParams {
  baseRatePerYear: bigint;
  /** Added linearly up to the kink. */
  slope1PerYear: bigint;
  /** Added linearly above the kink; at least 10 x slope1 (the vault refuses less). */
  slope2PerYear: bigint;
  /** Utilization where the steep slope starts. */
  kink: bigint;
  /** Borrowing limit: debt <= collateral x maxLtv. */
  maxLtvBps: number;
  /** Health factor = collateral x threshold / debt; liquidation below 1. */
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  /** Share of a debt one liquidation may repay. */
  closeFactorBps: number;
  /** A liquidation may repay the whole debt when less than this would be left (token wei). */
  dustDebt: bigint;
  /** Deposited by the deployer right after deployment so providers can borrow (0: none). */
  seed: bigint;
}

export interface ProtocolParams {
  token: { name: string; symbol: string; supply: bigint };
  staking: { unbondingDelay: number; finderFeeBps: number };
  markets: MarketParams[];
  /** Devnet only: a faucet funded with `funding` that drips `dripAmount` per `cooldown`. */
  faucet: { funding: bigint; dripAmount: bigint; cooldown: number } | null;
  /** The lending vault and the fee pool ("Earn"); absent in older parameter files: not deployed. */
  lending?: LendingParams | null;
  /**
   * Devnet only: a Uniswap V2 token/ETH pair seeded by the deployer with these amounts (their
   * ratio is the opening price). Null or absent: no pair is deployed (production uses the
   * network's own Uniswap).
   */
  liquidity?: { seedTokenWei: bigint; seedEthWei: bigint } | null;
}

/** Optional role holders; each defaults to the deployer. */
export interface ProtocolRoles {
  admin?: string;
  arbiter?: string;
  feeRecipient?: string;
  slashRecipient?: string;
}

const TOKEN = 10n ** 18n;
const PERCENT = 10n ** 16n; // 1 % in 1e18 fixed point

/** Rate curve in the style of Aave and Compound: 0 % + 4 % up to 80 % utilization, +75 % above. */
export function demoLending(): LendingParams {
  return {
    baseRatePerYear: 0n,
    slope1PerYear: 4n * PERCENT,
    slope2PerYear: 75n * PERCENT,
    kink: 80n * PERCENT,
    maxLtvBps: 8_000,
    liquidationThresholdBps: 9_000,
    liquidationBonusBps: 500,
    closeFactorBps: 5_000,
    dustDebt: TOKEN,
    seed: 1_000_000n * TOKEN,
  };
}

/** Market defaults for a demo: one-minute epochs, short windows so a loop finishes fast. */
export function demoMarket(classLabel: string): MarketParams {
  return {
    classLabel,
    minStake: 100n * TOKEN,
    epochLength: 60,
    targetUnitsPerEpoch: 100,
    initialPrice: TOKEN / 100n,
    floorPrice: TOKEN / 10_000n,
    maxStepBps: 1_250,
    challengeWindow: 30,
    maxJobDuration: 600,
    feeBps: 500,
    missPenalty: 10n * TOKEN,
    disputeBond: 5n * TOKEN,
    // Ten minutes: long enough for the demo arbiter, short enough to see a timeout.
    rulingPeriod: 600,
    // 150 %: blocking a job risks more than the job is worth (the requester's loss plus
    // the finder's fee), so claiming jobs to sit on them never pays.
    collateralBps: 15_000,
    // 10 % of the job's value or the flat bond, whichever is larger.
    disputeBondBps: 1_000,
  };
}

/** A whole demo protocol on a local devnet: 1e9 tokens, a faucet, a CPU class and two GPU classes. */
export function demoParams(): ProtocolParams {
  return {
    token: { name: 'Hearth', symbol: 'HRTH', supply: 1_000_000_000n * TOKEN },
    staking: { unbondingDelay: 3_600, finderFeeBps: 1_000 },
    markets: [demoMarket('gpu-8gb'), demoMarket('gpu-24gb'), demoMarket('cpu')],
    faucet: { funding: 100_000_000n * TOKEN, dripAmount: 10_000n * TOKEN, cooldown: 60 },
    lending: demoLending(),
    // 1 token = 0.0001 ETH.
    liquidity: { seedTokenWei: 1_000_000n * TOKEN, seedEthWei: 100n * TOKEN },
  };
}

/** Parameters for a public network: day-long unbonding, hour-long epochs, no faucet. */
export function productionParams(classLabels: string[]): ProtocolParams {
  return {
    token: { name: 'Hearth', symbol: 'HRTH', supply: 1_000_000_000n * TOKEN },
    staking: { unbondingDelay: 14 * 86_400, finderFeeBps: 1_000 },
    markets: classLabels.map((label) => ({
      ...demoMarket(label),
      minStake: 1_000n * TOKEN,
      epochLength: 3_600,
      targetUnitsPerEpoch: 10_000,
      challengeWindow: 3_600,
      maxJobDuration: 86_400,
      rulingPeriod: 3 * 86_400,
    })),
    faucet: null,
    // Lenders bring the cash on a public network; the deployer seeds nothing.
    lending: { ...demoLending(), seed: 0n, dustDebt: 10n * TOKEN },
    liquidity: null,
  };
}
