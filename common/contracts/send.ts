import { Wallet, type Contract, type TransactionRequest } from 'ethers';

/**
 * Gas headroom over an estimate: 20 % plus 45,000. The estimate runs in a pending block whose
 * timestamp may be a second earlier than the block that mines the transaction, and writes that
 * depend on time (interest accrual, Uniswap's price accumulators, two fresh slots on a pair's
 * first trade in a new second) then cost more than estimated. Unused gas is not charged.
 */
export function withGasHeadroom(estimate: bigint): bigint {
  return (estimate * 12n) / 10n + 45_000n;
}

/** Calls `method` with headroom over its gas estimate and waits for the receipt (deploy scripts). */
export async function sendAndWait(contract: Contract, method: string, args: unknown[], overrides: { value?: bigint } = {}): Promise<void> {
  const fn = contract.getFunction(method);
  const gasLimit = withGasHeadroom(await fn.estimateGas(...args, overrides));
  const tx = (await fn(...args, { ...overrides, gasLimit })) as { wait(): Promise<unknown> };
  await tx.wait();
}

/** A Wallet whose every contract call gets `withGasHeadroom` over ethers' own estimate. */
export class HeadroomWallet extends Wallet {
  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    const estimate = await super.estimateGas(tx);
    return tx.data && tx.data !== '0x' ? withGasHeadroom(estimate) : estimate;
  }
}
