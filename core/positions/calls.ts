/**
 * Contract reads for the positions service, each decoded by its ABI and checked, so a wrong
 * address in an addresses file or a node answering garbage becomes a clear HearthError
 * rather than a crash or a silently wrong figure.
 */
import { Interface, type InterfaceAbi, type Result } from 'ethers';
import { HearthError, isHearthError } from '../../common/errors.ts';
import { RpcError, type RpcClient } from '../chain/rpc.ts';

export function iface(abi: InterfaceAbi): Interface {
  return new Interface(abi);
}

async function ethCall(rpc: RpcClient, to: string, data: string, what: string): Promise<string> {
  let raw: unknown;
  try {
    raw = await rpc.request<unknown>('eth_call', [{ to, data }, 'latest']);
  } catch (error) {
    if (error instanceof RpcError)
      throw new HearthError(
        'bad_chain_data',
        `${what} failed at ${to}: ${error.message.slice(0, 160)}. Is the addresses file for this deployment?`,
        { cause: error },
      );
    if (isHearthError(error)) throw error;
    throw new HearthError('network_unavailable', `The network did not answer while reading ${what}.`, { cause: error });
  }
  if (typeof raw !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(raw))
    throw new HearthError('bad_chain_data', `The node answered ${what} with something that is not hex data.`);
  return raw;
}

/** eth_call of a view, decoded; throws bad_chain_data when the contract is absent or answers nonsense. */
export async function view(rpc: RpcClient, i: Interface, to: string, method: string, args: unknown[] = []): Promise<Result> {
  const what = `${method}()`;
  const raw = await ethCall(rpc, to, i.encodeFunctionData(method, args), what);
  if (raw === '0x')
    throw new HearthError(
      'bad_chain_data',
      `There is no contract answering ${what} at ${to}: the addresses file does not match this chain.`,
    );
  try {
    return i.decodeFunctionResult(method, raw);
  } catch (error) {
    throw new HearthError(
      'bad_chain_data',
      `The contract at ${to} answered ${what} with data that does not decode; is the addresses file for this deployment?`,
      { cause: error },
    );
  }
}

/** A view the contract may not have (an older deployment): null when it reverts or is absent. */
export async function optionalView(rpc: RpcClient, i: Interface, to: string, method: string, args: unknown[] = []): Promise<Result | null> {
  try {
    return await view(rpc, i, to, method, args);
  } catch (error) {
    if (isHearthError(error) && error.code === 'bad_chain_data') return null;
    throw error;
  }
}

/** The i-th output as a non-negative bigint below `max`. */
export function uint(r: Result, what: string, max: bigint = 2n ** 256n, index = 0): bigint {
  const v = r[index] as unknown;
  if (typeof v !== 'bigint' || v < 0n || v >= max)
    throw new HearthError('bad_chain_data', `${what} read from the chain is out of range (${String(v).slice(0, 80)}).`);
  return v;
}

export function address(r: Result, what: string, index = 0): string {
  const v = r[index] as unknown;
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v))
    throw new HearthError('bad_chain_data', `${what} read from the chain is not an address.`);
  return v;
}

export async function nativeBalance(rpc: RpcClient, who: string): Promise<bigint> {
  const hex = await rpc.request<unknown>('eth_getBalance', [who, 'latest']);
  if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]+$/.test(hex))
    throw new HearthError('bad_chain_data', 'The node answered the ETH balance with something that is not a number.');
  return BigInt(hex);
}

export interface BlockInfo {
  number: number;
  timestamp: number;
}

export async function blockAt(rpc: RpcClient, tag: number | 'latest'): Promise<BlockInfo> {
  const b = await rpc.request<{ number?: unknown; timestamp?: unknown } | null>('eth_getBlockByNumber', [
    typeof tag === 'number' ? `0x${tag.toString(16)}` : tag,
    false,
  ]);
  if (!b || typeof b.number !== 'string' || typeof b.timestamp !== 'string')
    throw new HearthError('bad_chain_data', `The node returned no block ${String(tag)}.`);
  return { number: Number(BigInt(b.number)), timestamp: Number(BigInt(b.timestamp)) };
}

export interface Log {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
}

export async function logs(
  rpc: RpcClient,
  filter: { address: string | string[]; topics: (string | null)[]; fromBlock: number },
): Promise<Log[]> {
  const list = await rpc.request<unknown>('eth_getLogs', [
    { address: filter.address, topics: filter.topics, fromBlock: `0x${filter.fromBlock.toString(16)}`, toBlock: 'latest' },
  ]);
  if (!Array.isArray(list)) throw new HearthError('bad_chain_data', 'The node answered a log query with something that is not a list.');
  return list as Log[];
}
