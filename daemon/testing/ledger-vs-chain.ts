/**
 * The ledger of a daemon that was killed again and again, compared with the chain, job by
 * job and to the wei. "Lost": a posted job that did not end paid (stuck claimed or
 * committed, expired in our hands, never taken, or paid on the chain but not in the
 * ledger). "Double": a step done twice: more than one claim, commit or settle transaction
 * of ours for the same job mined (reverted ones included: they cost gas), more than one
 * claim or payment event, or the ledger showing more than the chain paid.
 */
import type { EventLog } from 'ethers';
import { JOB_STATUS } from '../../common/contracts/market.ts';
import type { MarketJobDetail } from '../../common/ipc/groups/market.ts';
import type { PostedJob, RequesterChain } from '../../core/requester/index.ts';
import { readUint } from '../../core/requester/chain.ts';
import { ledgerJobs, type Api } from './earning-harness.ts';

export interface Comparison {
  lost: string[];
  double: string[];
  /** Failures recorded without a reason a person can read. */
  unreadable: string[];
  /** Sums that disagree (balance, ledger total, the daemon's own reconciliation). */
  sums: string[];
  paidWei: bigint;
}

const FAILED_STATES = new Set(['declined', 'failed', 'abandoned', 'expired', 'faulted']);

/** A reason a person can read: a sentence, not empty, not a stack, not an object dump. */
export function readable(text: string | null): boolean {
  if (!text || text.trim().length < 8) return false;
  return !/\[object |undefined|\n\s+at |^Error: /.test(text);
}

/** Counts our mined market calls per `method:jobId` from `fromBlock` to the head. */
async function ourCalls(chain: RequesterChain, provider: string, fromBlock: number): Promise<Map<string, number>> {
  const market = chain.market('cpu');
  const address = market.deployment.address.toLowerCase();
  const head = await chain.provider.getBlockNumber();
  const counts = new Map<string, number>();
  for (let n = fromBlock; n <= head; n++) {
    const block = await chain.provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from.toLowerCase() !== provider.toLowerCase() || tx.to?.toLowerCase() !== address) continue;
      const parsed = market.contract.interface.parseTransaction({ data: tx.data });
      if (!parsed || !['claim', 'commit', 'settle'].includes(parsed.name)) continue;
      const key = `${parsed.name}:${String(parsed.args[0])}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

export interface CompareInput {
  api: Api;
  chain: RequesterChain;
  provider: string;
  posted: PostedJob[];
  /** The provider's token balance before the first job. */
  balanceBefore: bigint;
}

export async function compareLedgerWithChain(q: CompareInput): Promise<Comparison> {
  const out: Comparison = { lost: [], double: [], unreadable: [], sums: [], paidWei: 0n };
  const market = q.chain.market('cpu').contract;
  const from = Math.min(...q.posted.map((p) => p.postedBlock));
  const calls = await ourCalls(q.chain, q.provider, from);
  const byId = new Map((await ledgerJobs(q.api)).map((j) => [j.jobId, j]));
  let ledgerWei = 0n;
  for (const job of q.posted) {
    const id = job.jobId.toString();
    const st = (await market.getFunction('jobState')(job.jobId)) as unknown as [bigint, bigint, bigint, bigint];
    const status = JOB_STATUS[Number(st[3])];
    const claims = (await market.queryFilter(market.filters.JobClaimed!(job.jobId), from)) as EventLog[];
    const settled = (await market.queryFilter(market.filters.JobSettled!(job.jobId), from)) as EventLog[];
    const ours = claims.filter((c) => String(c.args.getValue('provider')).toLowerCase() === q.provider.toLowerCase());
    const paid = settled.reduce((sum, e) => sum + BigInt(e.args.getValue('providerAmount') as bigint), 0n);
    out.paidWei += paid;
    const row = byId.get(id);
    ledgerWei += BigInt(row?.earnedWei ?? '0');
    for (const method of ['claim', 'commit', 'settle']) {
      const n = calls.get(`${method}:${id}`) ?? 0;
      if (n > 1) out.double.push(`job ${id}: ${n} ${method} transactions of ours mined`);
    }
    if (claims.length > 1 || settled.length > 1) out.double.push(`job ${id}: ${claims.length} claims, ${settled.length} payments on the chain`);
    if (row?.earnedWei && BigInt(row.earnedWei) > paid) out.double.push(`job ${id}: the ledger shows ${row.earnedWei} wei earned, the chain paid ${paid}`);
    if (status !== 'Settled') {
      const how = ours.length === 0 ? 'never claimed by us' : `left ${status} in our hands`;
      out.lost.push(`job ${id}: ${how} (ledger: ${row ? `${row.state}, ${row.reason ?? 'no reason'}` : 'not in the ledger'})`);
    } else if (ours.length !== 1) {
      out.lost.push(`job ${id}: settled, but claimed by someone else`);
    } else if (row?.state !== 'paid' || row.earnedWei !== paid.toString()) {
      out.lost.push(`job ${id}: paid ${paid} wei on the chain, the ledger says ${row ? `${row.state} / ${row.earnedWei ?? 'nothing earned'}` : 'nothing'}`);
    }
    if (row) out.unreadable.push(...(await unreadableSteps(q.api, row.key, id)));
  }
  const balanceNow = await readUint(q.chain.token, 'balanceOf', q.provider);
  if (balanceNow - q.balanceBefore !== out.paidWei) out.sums.push(`the provider's balance grew by ${balanceNow - q.balanceBefore} wei, the chain paid ${out.paidWei}`);
  if (ledgerWei !== out.paidWei) out.sums.push(`the ledger's earnings are ${ledgerWei} wei, the chain paid ${out.paidWei}`);
  const rec = (await q.api.client.call('market:reconcile', {})).reconciliation;
  if (!rec?.ok) out.sums.push(`the daemon's own reconciliation: ${rec?.message ?? 'did not run'}`);
  return out;
}

/** Every failure step in a job's timeline must say why in words. */
async function unreadableSteps(api: Api, key: string, id: string): Promise<string[]> {
  const detail: MarketJobDetail = await api.client.call('market:job', { key });
  const bad = detail.events.filter((e) => (FAILED_STATES.has(e.state) || e.detail !== null) && !readable(e.detail));
  const reason = FAILED_STATES.has(detail.state) && !readable(detail.reason) ? [`job ${id}: ended ${detail.state} with reason ${JSON.stringify(detail.reason)}`] : [];
  return [...reason, ...bad.map((e) => `job ${id}: step ${e.state} says ${JSON.stringify(e.detail)}`)];
}
