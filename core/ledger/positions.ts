/**
 * Position value samples (one per account and minute) and the first liquidity deposit per
 * pair, for the Earn page's history and its fees-earned and hold-value figures. Addresses are
 * stored lower-case so a checksummed and a plain spelling are the same account.
 */
import type { DatabaseSync } from 'node:sqlite';
import { HearthError } from '../../common/errors.ts';
import type { Ledger, LpDepositRow, PositionSampleRow } from './types.ts';

const MINUTE_MS = 60_000;
const WEI = /^(0|[1-9][0-9]*)$/;

function checkWei(name: string, value: string): string {
  if (!WEI.test(value))
    throw new HearthError('ledger_bad_row', `${name} must be a decimal wei amount, not ${JSON.stringify(value).slice(0, 40)}.`);
  return value;
}

export function createPositions(deps: { db: DatabaseSync }) {
  const { db } = deps;
  const upsertSample = db.prepare(`INSERT INTO position_samples
      (chain_id, address, minute, at, staking_wei, lending_wei, fee_pool_wei, liquidity_eth_wei, total_token_wei)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (chain_id, address, minute) DO UPDATE SET at = excluded.at, staking_wei = excluded.staking_wei,
      lending_wei = excluded.lending_wei, fee_pool_wei = excluded.fee_pool_wei,
      liquidity_eth_wei = excluded.liquidity_eth_wei, total_token_wei = excluded.total_token_wei`);
  const lastSample = db.prepare('SELECT max(at) AS at FROM position_samples WHERE chain_id = ? AND address = ?');
  const selectSamples = db.prepare(`SELECT at, staking_wei AS stakingWei, lending_wei AS lendingWei, fee_pool_wei AS feePoolWei,
      liquidity_eth_wei AS liquidityEthWei, total_token_wei AS totalTokenWei
    FROM position_samples WHERE chain_id = ? AND address = ? AND at >= ? ORDER BY at`);
  const insertDeposit = db.prepare(`INSERT INTO lp_deposits (chain_id, address, pair, at, token_wei, eth_wei, root_k_per_lp)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chain_id, address, pair) DO NOTHING`);
  const selectDeposit = db.prepare(`SELECT at, token_wei AS tokenWei, eth_wei AS ethWei, root_k_per_lp AS rootKPerLp
    FROM lp_deposits WHERE chain_id = ? AND address = ? AND pair = ?`);
  const deleteDeposit = db.prepare('DELETE FROM lp_deposits WHERE chain_id = ? AND address = ? AND pair = ?');

  const addPositionSample: Ledger['addPositionSample'] = (q, s) => {
    const at = Math.trunc(s.at);
    upsertSample.run(
      q.chainId,
      q.address.toLowerCase(),
      Math.floor(at / MINUTE_MS) * MINUTE_MS,
      at,
      checkWei('stakingWei', s.stakingWei),
      checkWei('lendingWei', s.lendingWei),
      checkWei('feePoolWei', s.feePoolWei),
      checkWei('liquidityEthWei', s.liquidityEthWei),
      checkWei('totalTokenWei', s.totalTokenWei),
    );
  };
  const lastPositionSampleAt: Ledger['lastPositionSampleAt'] = (q) => {
    const row = lastSample.get(q.chainId, q.address.toLowerCase()) as { at: number | null } | undefined;
    return row?.at ?? null;
  };
  const positionSamples: Ledger['positionSamples'] = (q) =>
    (selectSamples.all(q.chainId, q.address.toLowerCase(), Math.trunc(q.from)) as unknown as PositionSampleRow[]).map((r) => ({ ...r }));
  const recordLpDeposit: Ledger['recordLpDeposit'] = (q, d) => {
    insertDeposit.run(
      q.chainId,
      q.address.toLowerCase(),
      q.pair.toLowerCase(),
      Math.trunc(d.at),
      checkWei('tokenWei', d.tokenWei),
      checkWei('ethWei', d.ethWei),
      checkWei('rootKPerLp', d.rootKPerLp),
    );
  };
  const lpDeposit: Ledger['lpDeposit'] = (q) => {
    const row = selectDeposit.get(q.chainId, q.address.toLowerCase(), q.pair.toLowerCase()) as LpDepositRow | undefined;
    return row ? { ...row } : undefined;
  };
  const clearLpDeposit: Ledger['clearLpDeposit'] = (q) => {
    deleteDeposit.run(q.chainId, q.address.toLowerCase(), q.pair.toLowerCase());
  };
  return { addPositionSample, lastPositionSampleAt, positionSamples, recordLpDeposit, lpDeposit, clearLpDeposit };
}
