/**
 * Follows one contract's logs to a confirmed depth, in order, surviving restarts and
 * reorgs. The cursor (last block handed over, with its hash) lives in the ledger's store.
 */
import { HearthError } from '../../common/errors.ts';
import type { Logger } from '../ports.ts';

/** A log as eth_getLogs returns it (quantities as 0x hex). */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

/** The JSON-RPC surface needed (core/chain/rpc.ts's RpcClient fits). */
export interface FollowerRpc {
  request<T = unknown>(method: string, params?: unknown[]): Promise<T>;
}

/** Where cursors and recent block hashes persist (the ledger implements it). */
export interface FollowerStore {
  getCursor(name: string): { block: number; hash: string } | undefined;
  setCursor(name: string, block: number, hash: string): void;
  saveBlockHash(name: string, block: number, hash: string): void;
  blockHash(name: string, block: number): string | undefined;
  forgetBlocksAbove(name: string, block: number): void;
}

export interface EventFollowerOptions {
  rpc: FollowerRpc;
  address: string;
  /** topic0 alternatives (event signatures); all of the contract's logs when omitted. */
  topics?: string[];
  /** First block of interest (the contract's deployment block). */
  fromBlock: number;
  /** Blocks kept behind the head before logs are handed over. */
  confirmations: number;
  /** Blocks per eth_getLogs (default 2000); halved while the node says the answer is too big. */
  maxRange?: number;
  store: FollowerStore;
  /** The cursor's name in the store, e.g. `${chainId}:${market}`. */
  name: string;
  /**
   * Receives each batch of logs in block and log-index order. Must be idempotent: after a
   * crash between this call and the cursor being saved, or after a reorg, logs are
   * delivered again.
   */
  onLogs: (logs: RawLog[]) => Promise<void> | void;
  logger: Logger;
}

export interface PollResult {
  /** First block looked at this poll. */
  from: number;
  /** Last block handed over (from − 1 when there was nothing new). */
  to: number;
  /** True when this poll found the cursor's block replaced and rewound. */
  reorg: boolean;
}

export interface EventFollower {
  /** One step: catch up to head − confirmations. RPC errors propagate; the cursor then stays put. */
  poll(): Promise<PollResult>;
}

const DEFAULT_RANGE = 2000;

/** Messages nodes use when a getLogs answer would be too large or the range too wide. */
const TOO_MANY = /more than \d+ results|too many (results|logs|blocks)|response size|block range|range (is )?too (large|wide|big)|limit exceeded|query timeout exceeded|exceed(s|ed)? (the )?max/i;

function isTooMany(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === -32005 || (typeof e?.message === 'string' && TOO_MANY.test(e.message));
}

const hex = (n: number): string => `0x${n.toString(16)}`;
const num = (h: string): number => Number.parseInt(h, 16);

/** Creates a follower; `poll()` calls made while one runs share its result. */
export function createEventFollower(options: EventFollowerOptions): EventFollower {
  const { rpc, store, name, confirmations, fromBlock, logger } = options;
  const maxRange = Math.max(1, options.maxRange ?? DEFAULT_RANGE);
  // With no confirmations a reorg still runs a few blocks deep: keep a small window anyway.
  const rewindDepth = Math.max(4, confirmations * 4);

  const hashAt = async (block: number): Promise<string | null> => {
    if (block < 0) return null;
    const b = await rpc.request<{ hash: string } | null>('eth_getBlockByNumber', [hex(block), false]);
    return b?.hash ?? null;
  };

  /** The newest block at or below the cursor still on the chain, as far as saved hashes tell. */
  const rewind = async (cursor: { block: number }, head: number): Promise<{ block: number; hash: string }> => {
    // The window starts at the newest block that can still exist (a chain may get shorter).
    const top = Math.min(cursor.block - 1, head);
    const floor = Math.max(fromBlock - 1, Math.min(cursor.block, head) - rewindDepth);
    for (let b = top; b > floor; b--) {
      const saved = store.blockHash(name, b);
      if (saved !== undefined && (await hashAt(b)) === saved) return { block: b, hash: saved };
    }
    // Nothing saved matched within the window: resume from its bottom. A reorg deeper
    // than confirmations × 4 is beyond what this follower repairs.
    return { block: floor, hash: (await hashAt(floor)) ?? '' };
  };

  const getLogs = (from: number, to: number): Promise<RawLog[]> => {
    const filter: Record<string, unknown> = { address: options.address, fromBlock: hex(from), toBlock: hex(to) };
    if (options.topics && options.topics.length > 0) filter.topics = [options.topics];
    return rpc.request<RawLog[]>('eth_getLogs', [filter]);
  };

  const run = async (): Promise<PollResult> => {
    const head = num(await rpc.request<string>('eth_blockNumber'));
    const safe = head - confirmations;
    const cursor = store.getCursor(name);
    let last = fromBlock - 1;
    let lastHash = '';
    let reorg = false;
    if (cursor) {
      last = cursor.block;
      if (cursor.hash !== '' && (await hashAt(cursor.block)) !== cursor.hash) {
        const back = await rewind(cursor, head);
        logger.warn('chain reorganized under the event follower; rewinding', { name, from: cursor.block, to: back.block });
        reorg = true;
        last = back.block;
        lastHash = back.hash;
      }
    }
    const start = last + 1;
    let pendingRewind = reorg;
    const commitRewind = (): void => {
      if (!pendingRewind) return;
      store.forgetBlocksAbove(name, last);
      pendingRewind = false;
    };

    let range = maxRange;
    let from = start;
    while (from <= safe) {
      const to = Math.min(safe, from + range - 1);
      const before = await hashAt(to);
      let logs: RawLog[];
      try {
        logs = await getLogs(from, to);
      } catch (error) {
        if (isTooMany(error) && to > from) {
          range = Math.max(1, Math.floor((to - from + 1) / 2));
          logger.debug('getLogs answer too large; halving the range', { name, from, to, range });
          continue;
        }
        throw error;
      }
      const after = await hashAt(to);
      // The chain moved during the read: drop it and let the next poll start over.
      if (before === null || before !== after || logs.some((l) => num(l.blockNumber) === to && l.blockHash !== after)) {
        throw new HearthError('chain_reorg', 'The chain reorganized while reading market events; reading again on the next block.');
      }
      const ordered = logs
        .filter((l) => l.removed !== true)
        .sort((a, b) => num(a.blockNumber) - num(b.blockNumber) || num(a.logIndex) - num(b.logIndex));
      if (ordered.length > 0) await options.onLogs(ordered);
      commitRewind();
      for (const l of ordered) store.saveBlockHash(name, num(l.blockNumber), l.blockHash);
      store.saveBlockHash(name, to, after);
      store.setCursor(name, to, after);
      last = to;
      from = to + 1;
    }
    if (pendingRewind) {
      // Rewound below the head with nothing new to read yet: remember where to resume.
      commitRewind();
      store.setCursor(name, last, lastHash);
    }
    return { from: start, to: last, reorg };
  };

  let inFlight: Promise<PollResult> | undefined;
  return {
    poll() {
      inFlight ??= run().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
