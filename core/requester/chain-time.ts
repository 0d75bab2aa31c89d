import type { JsonRpcProvider } from 'ethers';
import { systemClock } from '../node-ports.ts';
import type { Clock } from '../ports.ts';

/** The local devnet's chain id (Anvil's default, and the app's). */
export const DEVNET_CHAIN_ID = 31337;

/** True for the app's local devnet: chain 31337 served on 127.0.0.1. Only there may we mine blocks. */
export function isLocalDevnet(chainId: number, rpcUrl: string): boolean {
  let host: string;
  try {
    host = new URL(rpcUrl).hostname;
  } catch {
    return false;
  }
  return chainId === DEVNET_CHAIN_ID && (host === '127.0.0.1' || host === 'localhost');
}

/** When a time-gated call (`expire`, `settle`, `dispute`) would pass or fail, in block time. */
export interface ChainTime {
  /** The latest block's timestamp (seconds). */
  latest(): Promise<number>;
  /**
   * True when the latest block is at or past `gate` (seconds), so a call gated on
   * `block.timestamp >= gate` can be sent. A chain without idle blocks (the app's devnet
   * runs Anvil with `blockTimeSeconds: 0`) can leave its latest block far behind the wall
   * clock: on the local devnet a block is mined with `evm_mine` once the wall clock has
   * passed the gate; elsewhere this stays false until the chain makes a block past it.
   */
  passed(gate: number): Promise<boolean>;
  /**
   * The latest block's timestamp, first mining a block on the local devnet when it lags
   * the wall clock by more than `maxLagSeconds` (default 1): for reads that predict the
   * timestamp of the next transaction's block, like a job's deadline.
   */
  fresh(maxLagSeconds?: number): Promise<number>;
}

/**
 * Block time for one chain. Why not the wall clock: the contracts compare against
 * `block.timestamp`, and Anvil's `eth_call` on "latest" uses the latest block's
 * timestamp while `eth_estimateGas` uses a pending block at the wall clock; a gate
 * judged by the wall clock alone is right on one and wrong on the other.
 */
export function chainTime(options: { provider: JsonRpcProvider; chainId: number; rpcUrl: string; clock?: Clock }): ChainTime {
  const clock = options.clock ?? systemClock;
  const local = isLocalDevnet(options.chainId, options.rpcUrl);
  const latest = async (): Promise<number> => {
    const block = await options.provider.getBlock('latest');
    if (!block) throw new Error('the node returned no latest block');
    return block.timestamp;
  };
  const mine = async (): Promise<number> => {
    await options.provider.send('evm_mine', []);
    return latest();
  };
  const wallSeconds = (): number => Math.floor(clock.now() / 1000);
  return {
    latest,
    async passed(gate) {
      // Before the wall clock reaches the gate no block can be past it (short of time
      // travel on a devnet): skip the read.
      if (wallSeconds() < gate) return false;
      const ts = await latest();
      if (ts >= gate) return true;
      return local ? (await mine()) >= gate : false;
    },
    async fresh(maxLagSeconds = 1) {
      const ts = await latest();
      return local && ts < wallSeconds() - maxLagSeconds ? mine() : ts;
    },
  };
}
