/**
 * The ledger schema as numbered steps. Step n brings `PRAGMA user_version` from n-1 to n; a
 * released step is never edited, only followed by a new one. Amounts are TEXT (decimal wei).
 */
import type { DatabaseSync } from 'node:sqlite';

/** One schema step: SQL run in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every step so far, in order; `migrations.length` is the version this Hearth writes. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, events, transactions, payments',
    sql: `
      CREATE TABLE jobs (
        key TEXT PRIMARY KEY,
        chain_id INTEGER NOT NULL,
        market TEXT NOT NULL,
        class_label TEXT NOT NULL,
        job_id TEXT NOT NULL,
        requester TEXT NOT NULL,
        model TEXT NOT NULL,
        model_hash TEXT NOT NULL,
        units INTEGER NOT NULL,
        max_price_wei TEXT NOT NULL,
        price_wei TEXT,
        deadline INTEGER NOT NULL,
        input_uri TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        result_hash TEXT,
        posted_block INTEGER NOT NULL,
        provider TEXT,
        state TEXT NOT NULL,
        reason TEXT,
        seen_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        earned_wei TEXT,
        fee_wei TEXT,
        device_id TEXT,
        execution_provider TEXT,
        run_ms REAL,
        electricity_wei TEXT
      );
      CREATE INDEX jobs_seen ON jobs (seen_at);
      CREATE INDEX jobs_state ON jobs (state, seen_at);
      CREATE TABLE job_events (
        id INTEGER PRIMARY KEY,
        job_key TEXT NOT NULL REFERENCES jobs (key),
        at INTEGER NOT NULL,
        state TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX job_events_job ON job_events (job_key, id);
      CREATE TABLE txs (
        hash TEXT PRIMARY KEY,
        job_key TEXT REFERENCES jobs (key),
        chain_id INTEGER,
        label TEXT NOT NULL,
        status TEXT NOT NULL,
        gas_used TEXT,
        gas_wei TEXT,
        block_number INTEGER,
        at INTEGER NOT NULL
      );
      CREATE INDEX txs_job ON txs (job_key);
      CREATE INDEX txs_at ON txs (at);
      CREATE TABLE payments (
        job_key TEXT PRIMARY KEY REFERENCES jobs (key),
        chain_id INTEGER NOT NULL,
        provider TEXT NOT NULL,
        amount_wei TEXT NOT NULL,
        fee_wei TEXT NOT NULL,
        block_number INTEGER NOT NULL,
        tx_hash TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX payments_provider ON payments (chain_id, provider, at);
    `,
  },
  {
    version: 2,
    name: 'event-follower cursors and recent block hashes',
    sql: `
      CREATE TABLE cursors (name TEXT PRIMARY KEY, block INTEGER NOT NULL, hash TEXT NOT NULL);
      CREATE TABLE block_hashes (
        name TEXT NOT NULL,
        block INTEGER NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (name, block)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'device telemetry, raw and per minute',
    sql: `
      CREATE TABLE telemetry_raw (
        device_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        utilization REAL,
        temperature REAL,
        power REAL
      );
      CREATE INDEX telemetry_raw_device ON telemetry_raw (device_id, at);
      CREATE INDEX telemetry_raw_at ON telemetry_raw (at);
      -- Sums and counts per field, so merging a late raw sample into a minute stays exact.
      CREATE TABLE telemetry_minute (
        device_id TEXT NOT NULL,
        minute INTEGER NOT NULL,
        utilization_sum REAL NOT NULL DEFAULT 0,
        utilization_n INTEGER NOT NULL DEFAULT 0,
        temperature_sum REAL NOT NULL DEFAULT 0,
        temperature_n INTEGER NOT NULL DEFAULT 0,
        power_sum REAL NOT NULL DEFAULT 0,
        power_n INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (device_id, minute)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'position value samples and first liquidity deposits',
    sql: `
      -- One row per account and minute: a later sample in the same minute replaces the earlier.
      CREATE TABLE position_samples (
        chain_id INTEGER NOT NULL,
        address TEXT NOT NULL,
        minute INTEGER NOT NULL,
        at INTEGER NOT NULL,
        staking_wei TEXT NOT NULL,
        lending_wei TEXT NOT NULL,
        fee_pool_wei TEXT NOT NULL,
        liquidity_eth_wei TEXT NOT NULL,
        total_token_wei TEXT NOT NULL,
        PRIMARY KEY (chain_id, address, minute)
      ) WITHOUT ROWID;
      -- The first deposit into a pair since the account last held none of it: the baseline for
      -- fees earned (growth of sqrt(k) per LP token) and for the value had it been held.
      CREATE TABLE lp_deposits (
        chain_id INTEGER NOT NULL,
        address TEXT NOT NULL,
        pair TEXT NOT NULL,
        at INTEGER NOT NULL,
        token_wei TEXT NOT NULL,
        eth_wei TEXT NOT NULL,
        root_k_per_lp TEXT NOT NULL,
        PRIMARY KEY (chain_id, address, pair)
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version in the file (0 for a new, empty one). */
export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/** Applies the steps of `list` above the file's version, each in its own transaction. Returns the versions applied. */
export function migrate(db: DatabaseSync, list: readonly Migration[] = migrations): number[] {
  const applied: number[] = [];
  for (const step of list) {
    if (step.version <= schemaVersion(db)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(step.sql);
      db.exec(`PRAGMA user_version = ${step.version}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    applied.push(step.version);
  }
  return applied;
}
