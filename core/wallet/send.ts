import { Interface, formatUnits, parseUnits } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { AssetBalance, SendPreview } from '../../common/ipc/groups/wallet.ts';
import { fetchBalances, type TokenInfo } from '../chain/balances.ts';
import { checkRecipient } from '../chain/chain-service.ts';
import { suggestFees } from '../chain/fees.ts';
import type { ActiveNetwork, TxManager, TxRequest } from '../chain/tx-manager.ts';

const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);

export interface SendInput {
  to: string;
  amount: string;
  asset: string;
}

export interface PlannedSend {
  preview: SendPreview;
  request: TxRequest;
}

/** Parses "1.5" into base units, refusing anything that is not a positive decimal with at most `decimals` places. */
export function parseAmount(text: string, decimals: number, symbol: string): bigint {
  const value = text.trim();
  if (!/^\d+(\.\d+)?$/.test(value) && !/^\.\d+$/.test(value)) {
    throw new HearthError('bad_amount', `"${value}" is not an amount. Write a positive number such as 1.5.`);
  }
  let units: bigint;
  try {
    units = parseUnits(value.startsWith('.') ? `0${value}` : value, decimals);
  } catch {
    throw new HearthError('bad_amount', `${symbol} has ${decimals} decimal places; "${value}" has more.`);
  }
  if (units <= 0n) throw new HearthError('bad_amount', 'The amount must be more than zero.');
  return units;
}

/**
 * Checks a send against the chain before anything is signed: recipient checksum, amount
 * within the balance, gas estimate and an EIP-1559 fee preview. Throws a HearthError
 * with a stable code for each kind of bad input.
 */
export async function planSend(
  input: SendInput,
  from: string,
  net: ActiveNetwork,
  nativeSymbol: string,
  tokens: readonly TokenInfo[],
  txs: TxManager,
): Promise<PlannedSend> {
  const to = checkRecipient(input.to);
  const token = input.asset === 'native' ? undefined : tokens.find((t) => t.address.toLowerCase() === input.asset.toLowerCase());
  if (input.asset !== 'native' && !token) {
    throw new HearthError('unknown_asset', 'That token is not known on this network. Pick one from your balances.');
  }
  const symbol = token?.symbol ?? nativeSymbol;
  const decimals = token?.decimals ?? 18;
  const amount = parseAmount(input.amount, decimals, symbol);
  const balances = await fetchBalances(net.rpc, from, nativeSymbol, token ? [token] : []);
  const nativeBalance = BigInt(balances[0]!.balance);
  const assetBalance = token ? BigInt(findBalance(balances, token.address)?.balance ?? '0') : nativeBalance;
  if (amount > assetBalance) {
    throw new HearthError(
      'insufficient_funds',
      `${formatUnits(amount, decimals)} ${symbol} is more than your balance of ${formatUnits(assetBalance, decimals)} ${symbol}. Lower the amount.`,
    );
  }
  const request: TxRequest = token
    ? { to: token.address, data: erc20.encodeFunctionData('transfer', [to, amount]), label: `Send ${formatUnits(amount, decimals)} ${symbol} to ${to}` }
    : { to, valueWei: amount, label: `Send ${formatUnits(amount, decimals)} ${symbol} to ${to}` };
  const gasLimit = await txs.estimateGas(from, request);
  const fees = await suggestFees(net.rpc);
  const maxFeeWei = gasLimit * fees.maxFeePerGas;
  const estimatedFeeWei = gasLimit * (fees.baseFeePerGas + fees.maxPriorityFeePerGas);
  const nativeNeeded = maxFeeWei + (token ? 0n : amount);
  if (nativeNeeded > nativeBalance) {
    throw new HearthError(
      'insufficient_funds',
      token
        ? `The fee can reach ${formatUnits(maxFeeWei, 18)} ${nativeSymbol} but you have ${formatUnits(nativeBalance, 18)} ${nativeSymbol}. Add ${nativeSymbol} for fees.`
        : `The amount plus the fee (up to ${formatUnits(maxFeeWei, 18)} ${nativeSymbol}) is more than your balance of ${formatUnits(nativeBalance, 18)} ${nativeSymbol}. Lower the amount.`,
    );
  }
  return {
    request: { ...request, gasLimit },
    preview: {
      from,
      to,
      asset: token ? token.address : 'native',
      symbol,
      decimals,
      amount: amount.toString(),
      gasLimit: gasLimit.toString(),
      maxFeePerGas: fees.maxFeePerGas.toString(),
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
      maxFeeWei: maxFeeWei.toString(),
      estimatedFeeWei: estimatedFeeWei.toString(),
      nativeSymbol,
    },
  };
}

function findBalance(balances: AssetBalance[], asset: string): AssetBalance | undefined {
  return balances.find((b) => b.asset.toLowerCase() === asset.toLowerCase());
}
