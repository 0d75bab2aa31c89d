import type { RpcClient } from './rpc.ts';
import { RpcError } from './rpc.ts';

export interface FeeSuggestion {
  baseFeePerGas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

const ONE_GWEI = 1_000_000_000n;

/**
 * EIP-1559 fees: a tip from the node (1 gwei when it cannot say) and a fee cap of twice
 * the latest base fee plus the tip, which survives several full blocks of base-fee rise.
 */
export async function suggestFees(rpc: RpcClient): Promise<FeeSuggestion> {
  const block = await rpc.request<{ baseFeePerGas?: string } | null>('eth_getBlockByNumber', ['latest', false]);
  let tip = ONE_GWEI;
  try {
    tip = BigInt(await rpc.request<string>('eth_maxPriorityFeePerGas'));
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
  }
  if (!block?.baseFeePerGas) {
    // A chain without EIP-1559: the legacy gas price stands in for both fields.
    const gasPrice = BigInt(await rpc.request<string>('eth_gasPrice'));
    return { baseFeePerGas: gasPrice, maxFeePerGas: gasPrice, maxPriorityFeePerGas: gasPrice };
  }
  const base = BigInt(block.baseFeePerGas);
  return { baseFeePerGas: base, maxFeePerGas: base * 2n + tip, maxPriorityFeePerGas: tip };
}

/** The smallest fee a node accepts as a replacement (+10% on both fields), with margin: +12.5%, rounded up. */
export function bumpFee(previous: bigint): bigint {
  return (previous * 1125n + 999n) / 1000n + 1n;
}
