import type { AssetBalance } from '../../common/ipc/groups/wallet.ts';
import type { RpcClient } from './rpc.ts';

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

// balanceOf(address): the one ERC-20 read the wallet needs, encoded by hand to stay light.
const BALANCE_OF = '0x70a08231';

/** Native and token balances of one address at the latest block. */
export async function fetchBalances(rpc: RpcClient, address: string, nativeSymbol: string, tokens: readonly TokenInfo[]): Promise<AssetBalance[]> {
  const native = rpc.request<string>('eth_getBalance', [address, 'latest']);
  const tokenCalls = tokens.map((token) =>
    rpc
      .request<string>('eth_call', [{ to: token.address, data: `${BALANCE_OF}${address.slice(2).toLowerCase().padStart(64, '0')}` }, 'latest'])
      .then((hex) => (hex === '0x' ? 0n : BigInt(hex)))
      .catch(() => null),
  );
  const [nativeHex, ...tokenValues] = await Promise.all([native, ...tokenCalls]);
  const balances: AssetBalance[] = [{ asset: 'native', symbol: nativeSymbol, decimals: 18, balance: BigInt(nativeHex).toString() }];
  tokens.forEach((token, i) => {
    const value = tokenValues[i];
    // A token that cannot be read (wrong address, not deployed on this chain) is left out.
    if (typeof value === 'bigint') balances.push({ asset: token.address, symbol: token.symbol, decimals: token.decimals, balance: value.toString() });
  });
  return balances;
}
