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
  missPenalty: bigint;
  disputeBond: bigint;
}

export interface ProtocolParams {
  token: { name: string; symbol: string; supply: bigint };
  staking: { unbondingDelay: number; finderFeeBps: number };
  markets: MarketParams[];
  /** Devnet only: a faucet funded with `funding` that drips `dripAmount` per `cooldown`. */
  faucet: { funding: bigint; dripAmount: bigint; cooldown: number } | null;
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
  };
}

/** A whole demo protocol on a local devnet: 1e9 tokens, a faucet, a CPU class and two GPU classes. */
export function demoParams(): ProtocolParams {
  return {
    token: { name: 'Hearth', symbol: 'HRTH', supply: 1_000_000_000n * TOKEN },
    staking: { unbondingDelay: 3_600, finderFeeBps: 1_000 },
    markets: [demoMarket('gpu-8gb'), demoMarket('gpu-24gb'), demoMarket('cpu')],
    faucet: { funding: 100_000_000n * TOKEN, dripAmount: 10_000n * TOKEN, cooldown: 60 },
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
    })),
    faucet: null,
    liquidity: null,
  };
}
