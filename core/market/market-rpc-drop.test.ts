/**
 * The RPC dropping mid-transaction: the node receives Hearth's claim and the connection
 * dies before the answer comes back. The job must still be claimed exactly once, run and
 * paid, with the ledger equal to the chain. Hearth talks to the chain through a proxy (an
 * added network) that drops the answer to the first claim it forwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager, Wallet, encodeBase64, toUtf8Bytes } from 'ethers';
import { createProvider } from '../provider.ts';
import { attach } from '../../common/contracts/deploy.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { hashBytes, modelHashOf, type JobInputDocument } from '../../common/market/job-format.ts';
import { builtinCatalog } from '../worker/index.ts';
import { devAccounts } from '../chain/devnet.ts';
import { marketIface } from './chain-reads.ts';
import { tempDir, testPorts, waitFor } from '../test-support.ts';

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
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const envelope = await provider.dispatch(channel, payload);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.message}`);
    return envelope.value as T;
  };
  let miner: NodeJS.Timeout | undefined;
  let proxy: Awaited<ReturnType<typeof droppingProxy>> | undefined;
  try {
    const chain = await waitFor(async () => {
      const s = await call<{ connection: string; devnet: { state: string }; network: { rpcUrls: string[] } }>('chain:status');
      return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
    }, 'the local chain', 60_000);
    const nodeUrl = chain.network.rpcUrls[0]!;
    const key = Wallet.createRandom().privateKey;
    await call('wallet:import', { kind: 'privateKey', privateKey: key, password: 'correct horse battery' });
    await call('wallet:get-test-funds');
    await waitFor(async () => ((await call<{ problem: string | null }>('market:preview-register', { classLabel: 'cpu', stake: '130' })).problem === null ? true : undefined), 'test funds', 30_000);
    await call('market:register', { classLabel: 'cpu', stake: '130' });

    // From now on Hearth reaches the chain through the proxy, as a network the user added.
    proxy = await droppingProxy(nodeUrl);
    const json = await readFile(join(data.dir, 'chain', 'deployment.json'), 'utf8');
    const net = await call<{ id: string }>('chain:add-network', { name: 'Flaky RPC', chainId: 31337, rpcUrls: [proxy.url] });
    await call('chain:set-deployment', { id: net.id, json });
    await call('chain:select-network', { id: net.id });
    const rpc = new JsonRpcProvider(nodeUrl, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    // A remote network is followed at a confirmation depth: blocks keep coming, as on a real chain.
    miner = setInterval(() => void rpc.send('evm_mine', []).catch(() => undefined), 1000);

    const deployment = JSON.parse(json) as Deployment;
    const requester = new NonceManager(new Wallet(devAccounts()[14]!.privateKey, rpc));
    const c = attach(deployment, requester);
    const market = c.markets.find((m) => m.classLabel === 'cpu')!;
    await (await c.faucet!.getFunction('drip')(await requester.getAddress())).wait();
    await (await c.token.getFunction('approve')(market.address, 10n ** 24n)).wait();
    const model = builtinCatalog.find((m) => m.id === 'paddleocr-cls-v2')!;
    const values = new Float32Array(3 * 48 * 192).map((_, i) => (i % 13) / 13);
    const doc: JobInputDocument = {
      version: 1,
      model: model.id,
      inputs: { x: { dtype: 'float32', dims: [1, 3, 48, 192], data: encodeBase64(new Uint8Array(values.buffer)) } },
      resultUri: 'http://127.0.0.1:9/unused',
    };
    const bytes = toUtf8Bytes(JSON.stringify(doc));
    const deadline = BigInt((await rpc.getBlock('latest'))!.timestamp) + 400n;
    const posted = await (await market.contract.getFunction('post')(modelHashOf(model.sha256), hashBytes(bytes), `data:application/json;base64,${encodeBase64(bytes)}`, 1, 10n ** 16n, deadline)).wait();
    const jobId = BigInt((market.contract.interface.parseLog((posted as { logs: { topics: string[]; data: string }[] }).logs.at(-1)!)!.args[0] as bigint));

    await call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    type Job = { jobId: string; state: string; reason: string | null; earnedWei: string | null; key: string };
    const paid = await waitFor(async () => {
      const job = (await call<{ jobs: Job[] }>('market:jobs')).jobs.find((j) => j.jobId === jobId.toString());
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
