/** Where each chain-event follower stopped, and recent block hashes to notice a reorg. */
import type { DatabaseSync } from 'node:sqlite';
import type { Ledger } from './types.ts';

/** Block hashes kept per follower: deeper reorgs than this are not expected on the chains Hearth follows. */
export const KEPT_BLOCKS = 256;

/** The cursor part of the ledger. */
export function createCursors(deps: { db: DatabaseSync }) {
  const { db } = deps;
  const selectCursor = db.prepare('SELECT block, hash FROM cursors WHERE name = ?');
  const upsertCursor = db.prepare(
    'INSERT INTO cursors (name, block, hash) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET block = excluded.block, hash = excluded.hash',
  );
  const upsertHash = db.prepare(
    'INSERT INTO block_hashes (name, block, hash) VALUES (?, ?, ?) ON CONFLICT (name, block) DO UPDATE SET hash = excluded.hash',
  );
  const pruneBelow = db.prepare(
    'DELETE FROM block_hashes WHERE name = ? AND block <= (SELECT max(block) FROM block_hashes WHERE name = ?) - ?',
  );
  const selectHash = db.prepare('SELECT hash FROM block_hashes WHERE name = ? AND block = ?');
  const deleteAbove = db.prepare('DELETE FROM block_hashes WHERE name = ? AND block > ?');

  const getCursor: Ledger['getCursor'] = (name) => {
    const row = selectCursor.get(name) as { block: number; hash: string } | undefined;
    return row ? { block: row.block, hash: row.hash } : undefined;
  };
  const setCursor: Ledger['setCursor'] = (name, block, hash) => {
    upsertCursor.run(name, block, hash);
  };
  const saveBlockHash: Ledger['saveBlockHash'] = (name, block, hash) => {
    upsertHash.run(name, block, hash);
    pruneBelow.run(name, name, KEPT_BLOCKS);
  };
  const blockHash: Ledger['blockHash'] = (name, block) => (selectHash.get(name, block) as { hash: string } | undefined)?.hash;
  const forgetBlocksAbove: Ledger['forgetBlocksAbove'] = (name, block) => {
    deleteAbove.run(name, block);
  };

  return { getCursor, setCursor, saveBlockHash, blockHash, forgetBlocksAbove };
}
