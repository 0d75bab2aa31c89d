/** The Jobs page's listing: filters, a case-insensitive search, newest first, paged by seenAt. */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { marketJobView, type MarketJobView } from '../../common/ipc/groups/market.ts';
import type { Logger } from '../ports.ts';
import { checked, JOB_SELECT, PROBLEM_STATES, TERMINAL_STATES, viewOf, type JobRow } from './job-rows.ts';
import type { Ledger } from './types.ts';

const inList = (states: readonly string[]) => `(${states.map((s) => `'${s}'`).join(', ')})`;

const FILTERS = {
  all: '1',
  active: `j.state NOT IN ${inList(TERMINAL_STATES)}`,
  paid: `j.state = 'paid'`,
  declined: `j.state = 'declined'`,
  problems: `j.state IN ${inList(PROBLEM_STATES)}`,
} as const;

/** LIKE pattern for `text` anywhere, with LIKE's wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The listing part of the ledger. */
export function createList(deps: { db: DatabaseSync; logger: Logger | undefined }) {
  const { db, logger } = deps;

  const listJobs: Ledger['listJobs'] = (q) => {
    const where: string[] = [FILTERS[q.filter] ?? FILTERS.all];
    const args: SQLInputValue[] = [];
    if (q.chainId !== undefined) {
      where.push('j.chain_id = ?');
      args.push(q.chainId);
    }
    const search = q.search.trim();
    if (search) {
      // LIKE is case-insensitive for ASCII, which is what ids, hex addresses and states are.
      const columns = ['j.job_id', 'j.model', 'j.requester', 'j.state', 'j.reason'];
      where.push(`(${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      args.push(...columns.map(() => containing(search)));
    }
    const filterSql = where.join(' AND ');
    const { total } = db.prepare(`SELECT count(*) AS total FROM jobs j WHERE ${filterSql}`).get(...args) as { total: number };
    const pageSql = q.before === undefined ? filterSql : `${filterSql} AND j.seen_at < ?`;
    const pageArgs = q.before === undefined ? args : [...args, q.before];
    const limit = Math.max(0, Math.floor(q.limit));
    const rows = db
      .prepare(`${JOB_SELECT} WHERE ${pageSql} ORDER BY j.seen_at DESC, j.key DESC LIMIT ?`)
      .all(...pageArgs, limit) as unknown as JobRow[];
    const jobs = rows.map((row) => checked(marketJobView, viewOf(row), row.key, logger)).filter((v): v is MarketJobView => v !== null);
    return { jobs, total };
  };

  return { listJobs };
}
