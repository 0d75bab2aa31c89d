/**
 * Reconciliation: the ledger's payments against the chain's JobSettled events paid to this
 * provider. A difference is reported with both sums and what is missing; never hidden.
 */
import { formatUnits, zeroPadValue } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { RpcClient } from '../chain/rpc.ts';
import type { Ledger } from '../ledger/index.ts';
import { jobKey } from '../ledger/index.ts';
import { marketIface } from './chain-reads.ts';

export interface Reconciliation {
  at: number;
  ok: boolean;
  ledgerWei: string;
  chainWei: string;
  message: string | null;
}

const RANGE = 10_000;

/** Sums JobSettled(provider = us) on every market and compares with the ledger. */
export async function reconcile(q: { rpc: RpcClient; deployment: Deployment; chainId: number; provider: string; ledger: Ledger; now: number; symbol: string }): Promise<Reconciliation> {
  const topic = marketIface.getEvent('JobSettled')!.topicHash;
  const who = zeroPadValue(q.provider.toLowerCase(), 32);
  const head = Number(BigInt(await q.rpc.request<string>('eth_blockNumber')));
  const onChain = new Map<string, bigint>();
  for (const market of q.deployment.markets) {
    for (let from = q.deployment.startBlock; from <= head; from += RANGE) {
      const to = Math.min(head, from + RANGE - 1);
      const logs = await q.rpc.request<{ topics: string[]; data: string }[]>('eth_getLogs', [
        { address: market.address, topics: [topic, null, who], fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` },
      ]);
      for (const log of logs) {
        const parsed = marketIface.parseLog(log);
        if (!parsed) continue;
        onChain.set(jobKey(q.chainId, market.address, BigInt(parsed.args[0] as bigint).toString()), BigInt(parsed.args[2] as bigint));
      }
    }
  }
  const recorded = new Map(q.ledger.payments({ chainId: q.chainId, provider: q.provider }).map((p) => [p.jobKey, BigInt(p.amountWei)]));
  const sum = (m: Map<string, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
  const chainWei = sum(onChain);
  const ledgerWei = sum(recorded);
  const missing = [...onChain.keys()].filter((k) => !recorded.has(k));
  const extra = [...recorded.keys()].filter((k) => !onChain.has(k));
  const differs = [...onChain].filter(([k, v]) => recorded.has(k) && recorded.get(k) !== v);
  const ok = missing.length === 0 && extra.length === 0 && differs.length === 0;
  const tokens = (wei: bigint) => `${formatUnits(wei, 18)} ${q.symbol}`;
  const parts: string[] = [];
  if (missing.length) parts.push(`${missing.length} payment(s) on the chain are not in the ledger (jobs ${missing.map((k) => k.split(':')[2]).join(', ')})`);
  if (extra.length) parts.push(`${extra.length} payment(s) in the ledger are not on this chain (a reset devnet or a reorg)`);
  if (differs.length) parts.push(`${differs.length} payment(s) differ in amount`);
  return {
    at: q.now,
    ok,
    ledgerWei: ledgerWei.toString(),
    chainWei: chainWei.toString(),
    message: ok ? null : `The ledger shows ${tokens(ledgerWei)}, the chain ${tokens(chainWei)}: ${parts.join('; ')}.`,
  };
}
