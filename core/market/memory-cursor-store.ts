import type { FollowerStore } from './follower.ts';

/** A FollowerStore in memory: for tests, and for wiring before the ledger's store lands. */
export function memoryCursorStore(): FollowerStore & { cursors: Map<string, { block: number; hash: string }>; hashes: Map<string, Map<number, string>> } {
  const cursors = new Map<string, { block: number; hash: string }>();
  const hashes = new Map<string, Map<number, string>>();
  const of = (name: string): Map<number, string> => {
    let m = hashes.get(name);
    if (!m) hashes.set(name, (m = new Map<number, string>()));
    return m;
  };
  return {
    cursors,
    hashes,
    getCursor: (name) => cursors.get(name),
    setCursor: (name, block, hash) => void cursors.set(name, { block, hash }),
    saveBlockHash: (name, block, hash) => void of(name).set(block, hash),
    blockHash: (name, block) => hashes.get(name)?.get(block),
    forgetBlocksAbove(name, block) {
      const m = of(name);
      for (const b of [...m.keys()]) if (b > block) m.delete(b);
    },
  };
}
