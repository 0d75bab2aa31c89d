/**
 * Sends one market transaction through the app's transaction manager (journalled, so a
 * crash re-sends the same bytes rather than a second claim) and waits for its receipt.
 * Gas estimation runs first, so a call that would revert (a job someone else claimed,
 * a stake below the minimum) fails before any gas is spent, with the node's reason.
 */
import { HearthError, isHearthError } from '../../common/errors.ts';
import type { TxManager, Signer, ActiveNetwork } from '../chain/tx-manager.ts';
import type { Clock } from '../ports.ts';
import { marketIface, stakingIface, tokenIface } from './chain-reads.ts';

export interface SentTx {
  hash: string;
  status: 'confirmed' | 'failed';
  blockNumber: number;
  gasUsed: bigint;
  /** gasUsed × effective gas price, in native wei. */
  gasWei: bigint;
  logs: { address: string; topics: string[]; data: string; logIndex: string; blockNumber: string; transactionHash: string }[];
}

interface Receipt {
  status?: string;
  blockNumber: string;
  transactionHash: string;
  gasUsed: string;
  effectiveGasPrice?: string;
  logs: { address: string; topics: string[]; data: string; logIndex: string; blockNumber: string; transactionHash: string }[];
}

const POLL_MS = 250;

export interface SendDeps {
  txs: TxManager;
  network: () => ActiveNetwork | undefined;
  clock: Clock;
  /** How long to wait for inclusion before reporting the transaction as still pending. */
  timeoutMs?: number;
}

/** Sends and waits for inclusion; throws a HearthError with the revert reason when it would fail. */
export async function sendAndWait(deps: SendDeps, signer: Signer, request: { to: string; data: string; label: string; valueWei?: bigint }): Promise<SentTx> {
  const net = deps.network();
  if (!net) throw new HearthError('network_unavailable', 'The network is not reachable right now; Hearth will try again.');
  let record;
  try {
    record = await deps.txs.send(request, signer);
  } catch (error) {
    // The node not answering is not a refusal: keep its code so callers try again rather than give up.
    if (isHearthError(error) && (error.code === 'rpc_unreachable' || error.code === 'network_unavailable')) {
      throw new HearthError(error.code, `${request.label}: ${error.message}`, { cause: error });
    }
    throw new HearthError('tx_rejected', `${request.label}: ${revertText(error)}`, { cause: error });
  }
  // Counted in polls, not read off the wall clock: a clock set back a day must not hold the
  // caller (the market's claim or commit) here for a day, nor one set forward give up at once.
  const polls = Math.ceil((deps.timeoutMs ?? 120_000) / POLL_MS);
  for (let poll = 0; ; poll++) {
    const current = deps.txs.list().find((t) => t.id === record.id);
    if (current?.status === 'dropped') {
      throw new HearthError('tx_dropped', `${request.label} was dropped: another transaction used its nonce, so nothing was done. Try again.`);
    }
    const hashes = current?.hashes ?? [record.hash];
    for (const hash of [...hashes].reverse()) {
      const receipt = await net.rpc.request<Receipt | null>('eth_getTransactionReceipt', [hash]).catch(() => null);
      if (receipt) {
        // A speed-up re-sends the same call; a cancel (from the Wallet page) sends nothing in its place.
        if (receipt.transactionHash.toLowerCase() !== record.hash.toLowerCase()) await checkSameCall(net, receipt.transactionHash, request);
        const gasUsed = BigInt(receipt.gasUsed);
        const price = receipt.effectiveGasPrice ? BigInt(receipt.effectiveGasPrice) : 0n;
        // Let the manager see the inclusion now rather than on the next block.
        void deps.txs.poll().catch(() => undefined);
        return {
          hash: receipt.transactionHash,
          status: receipt.status === '0x0' ? 'failed' : 'confirmed',
          blockNumber: Number(BigInt(receipt.blockNumber)),
          gasUsed,
          gasWei: gasUsed * price,
          logs: receipt.logs,
        };
      }
    }
    if (poll >= polls) {
      throw new HearthError('tx_pending', `${request.label} was sent (${record.hash}) but is not included yet; Hearth keeps following it.`);
    }
    await new Promise<void>((resolve) => deps.clock.setTimeout(resolve, POLL_MS));
  }
}

/** Throws when the included replacement is not the call that was asked for (it was cancelled). */
async function checkSameCall(net: ActiveNetwork, hash: string, request: { to: string; data: string; label: string }): Promise<void> {
  const tx = await net.rpc.request<{ to: string | null; input: string } | null>('eth_getTransactionByHash', [hash]).catch(() => null);
  if (!tx) return; // unknown: the receipt says it was included; trust the call as sent
  if ((tx.to ?? '').toLowerCase() !== request.to.toLowerCase() || tx.input.toLowerCase() !== request.data.toLowerCase()) {
    throw new HearthError('tx_replaced', `${request.label} was cancelled: a replacement (${hash}) took its place, so nothing was done.`);
  }
}

/** The readable part of a failed estimate or send: the custom error's name and arguments when the ABI knows it. */
export function revertText(error: unknown): string {
  const data = findRevertData(error);
  if (data) {
    for (const iface of [marketIface, stakingIface, tokenIface]) {
      try {
        const parsed = iface.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map(String).join(', ')})`;
      } catch {
        // not this contract's error
      }
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

export function findRevertData(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e; depth++) {
    const candidate = (e as { data?: unknown }).data;
    if (typeof candidate === 'string' && /^0x[0-9a-f]{8}/i.test(candidate)) return candidate;
    if (candidate && typeof candidate === 'object' && typeof (candidate as { data?: unknown }).data === 'string') return (candidate as { data: string }).data;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
