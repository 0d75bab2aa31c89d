/**
 * The RPC dropping mid-transaction: the node receives Hearth's claim and the connection
 * dies before the answer comes back. The job must still be claimed exactly once, run and
 * paid, with the ledger equal to the chain. Hearth talks to the chain through a proxy (an
 * added network) that drops the answer to the first claim it forwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { JsonRpcProvider } from 'ethers';
import { createProvider } from '../provider.ts';
import { attach } from '../../common/contracts/deploy.ts';
import { marketIface } from './chain-reads.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';
import { dispatchCaller, localChainReady, postCpuJob, registerCpuProvider, selectAddedNetwork, type JobView } from './testing/local-earning.ts';

process.env.HEARTH_TEST_HOOKS = '1';

/** Forwards JSON-RPC to `target`; the first claim transaction reaches the node but its answer is dropped. */
function droppingProxy(target: string): Promise<{ server: Server; url: string; dropped: () => number }> {
  const claimSelector = marketIface.getFunction('claim')!.selector.slice(2);
  let dropped = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const drop = dropped === 0 && text.includes('eth_sendRawTransaction') && text.includes(claimSelector);
      const out = httpRequest(target, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          if (drop) {
            dropped++;
            req.socket.destroy(); // the node has the transaction; Hearth never hears back
            return;
          }
          res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' }).end(Buffer.concat(parts));
        });
      });
      out.on('error', () => res.writeHead(502).end());
      out.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, dropped: () => dropped })));
}

test('a claim whose answer the RPC drops is still claimed once, run and paid; the ledger equals the chain', { timeout: 240_000 }, async () => {
  const data = await tempDir('hearth-rpc-drop-');
  const provider = await createProvider(testPorts(data.dir));
  const call = dispatchCaller(provider);
  let miner: NodeJS.Timeout | undefined;
  let proxy: Awaited<ReturnType<typeof droppingProxy>> | undefined;
  try {
    const chain = await localChainReady(call);
    const nodeUrl = chain.network.rpcUrls[0]!;
    await registerCpuProvider(call);

    // From now on Hearth reaches the chain through the proxy, as a network the user added.
    proxy = await droppingProxy(nodeUrl);
    const deployment = await selectAddedNetwork(call, data.dir, 'Flaky RPC', proxy.url);
    const rpc = new JsonRpcProvider(nodeUrl, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    // A remote network is followed at a confirmation depth: blocks keep coming, as on a real chain.
    miner = setInterval(() => void rpc.send('evm_mine', []).catch(() => undefined), 1000);

    const jobId = await postCpuJob(rpc, deployment, { account: 14, seed: 13, resultUri: 'http://127.0.0.1:9/unused', deadlineSeconds: 400 });
    const market = attach(deployment, rpc).markets.find((m) => m.classLabel === 'cpu')!;

    await call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    const paid = await waitFor(async () => {
      const job = (await call<{ jobs: JobView[] }>('market:jobs')).jobs.find((j) => j.jobId === jobId.toString());
      if (job && ['declined', 'failed', 'abandoned', 'expired', 'faulted'].includes(job.state)) throw new Error(`ended ${job.state}: ${job.reason}`);
      return job?.state === 'paid' ? job : undefined;
    }, 'the job to be paid', 150_000);

    assert.equal(proxy.dropped(), 1, 'the claim answer was dropped once');
    const claims = await market.contract.queryFilter(market.contract.filters.JobClaimed!(jobId));
    assert.equal(claims.length, 1, 'claimed exactly once');
    const settled = await market.contract.queryFilter(market.contract.filters.JobSettled!(jobId));
    assert.equal(paid.earnedWei, (settled[0] as unknown as { args: { providerAmount: bigint } }).args.providerAmount.toString());
    const status = await call<{ jobsPaid: number; reconciliation: { ok: boolean; message: string | null } }>('market:reconcile');
    assert.equal(status.jobsPaid, 1);
    assert.equal(status.reconciliation.ok, true, status.reconciliation.message ?? '');
    rpc.destroy();
  } finally {
    if (miner) clearInterval(miner);
    proxy?.server.close();
    await provider.stop();
    await data.cleanup();
  }
});
