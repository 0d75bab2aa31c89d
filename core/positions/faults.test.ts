/**
 * Faults under an action: the node's answer to a transaction dropped on the way back, and the
 * local chain stopped and started again from its state file. Each ends in a clear error or a
 * correct recovery, with no transaction sent twice and no position lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { parseEther } from 'ethers';
import { HearthError, isHearthError } from '../../common/errors.ts';
import { startProtocolDevnet } from '../chain/devnet.ts';
import { tempDir, waitFor } from '../test-support.ts';
import { amountOut, routerIface } from './liquidity.ts';
import { startHarness } from './testing.ts';

/** Forwards JSON-RPC to `target`; the first transaction carrying `selector` reaches the node but its answer is dropped. */
function droppingProxy(target: string, selector: string): Promise<{ server: Server; url: string; dropped: () => number }> {
  let dropped = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const drop = dropped === 0 && text.includes('eth_sendRawTransaction') && text.includes(selector.slice(2));
      const out = httpRequest(
        target,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            if (drop) {
              dropped++;
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' }).end(Buffer.concat(parts));
          });
        },
      );
      out.on('error', () => res.writeHead(502).end());
      out.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, dropped: () => dropped }),
    ),
  );
}

test('a swap whose send answer is dropped lands exactly once', { timeout: 120_000 }, async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const selector = routerIface.getFunction('swapExactETHForTokens')!.selector;
  const proxy = await droppingProxy(h.devnet.rpcUrl, selector);
  t.after(() => void proxy.server.close());
  h.useRpc(proxy.url);
  const service = h.service;
  const pair = await service.get();
  const expected = amountOut(parseEther('0.2'), BigInt(pair.liquidity!.reserveEthWei), BigInt(pair.liquidity!.reserveTokenWei));
  const before = await h.tokenOf(h.user.address);
  const nonce = await h.nonceOf(h.user.address);
  try {
    const done = await service.act({ kind: 'swap', direction: 'eth-to-token', amount: '0.2', slippageBps: 50 });
    assert.equal(done.txHashes.length, 1);
  } catch (error) {
    // The other acceptable outcome: a clear error saying the swap is still being followed.
    assert.ok(isHearthError(error) && error.code === 'tx_pending', String(error));
  }
  assert.equal(proxy.dropped(), 1, 'the answer was dropped once');
  assert.equal(await h.nonceOf(h.user.address), nonce + 1, 'sent exactly once');
  assert.equal((await h.tokenOf(h.user.address)) - before, expected, 'swapped exactly once');
  assert.equal(h.txs.list().filter((x) => x.label.startsWith('Swap')).length, 1);
});

test(
  'the local chain stopped and restarted from its state: a clear error while down, positions intact after',
  { timeout: 180_000 },
  async (t) => {
    const state = await tempDir('hearth-positions-state-');
    t.after(() => state.cleanup());
    const h = await startHarness({ stateDir: state.dir });
    let stopped = false;
    t.after(async () => {
      if (!stopped) await h.stop();
    });
    await h.service.act({ kind: 'stake', classLabel: 'cpu', amount: '150' });
    await h.service.act({ kind: 'add-liquidity', amount: '1000', slippageBps: 50 });
    const before = await h.service.get();

    // The chain goes away (a clean stop writes its state file).
    await h.devnet.stop();
    const down = await h.service.get();
    assert.equal(down.staking, null);
    assert.equal(down.missing[0]?.kind, 'all');
    assert.ok(down.missing[0].reason.length > 10, down.missing[0].reason);
    await assert.rejects(
      h.service.act({ kind: 'unbond', classLabel: 'cpu', amount: '50' }),
      (e: unknown) => e instanceof HearthError && e.message.length > 10,
    );

    // Back from the state file on a new port: same deployment, same positions.
    const again = await startProtocolDevnet({ blockTimeSeconds: 0, stateDir: state.dir });
    t.after(() => again.stop());
    assert.deepEqual(again.deployment, h.devnet.deployment, 'the protocol was kept, not redeployed');
    h.useRpc(again.rpcUrl);
    const service = h.service;
    const after = await service.get();
    assert.equal(after.staking!.totalWei, before.staking!.totalWei);
    assert.equal(after.liquidity!.lpBalance, before.liquidity!.lpBalance);
    assert.equal(after.tokenBalanceWei, before.tokenBalanceWei);
    assert.equal(after.liquidity!.holdValueEthWei, before.liquidity!.holdValueEthWei, 'the ledger baseline survived');
    // And it acts again.
    const unbond = await service.act({ kind: 'unbond', classLabel: 'cpu', amount: '50' });
    assert.equal(unbond.positions.staking!.classes.find((c) => c.classLabel === 'cpu')!.unbondingWei, parseEther('50').toString());
    stopped = true;
    await h.stop();
  },
);

test('a swap cancelled from the Wallet page before it is mined: a clear error, nothing swapped', { timeout: 120_000 }, async (t) => {
  const h = await startHarness();
  t.after(() => h.stop());
  const before = await h.tokenOf(h.user.address);
  // Hold blocks so the swap waits in the mempool long enough to be cancelled.
  await h.provider.send('evm_setAutomine', [false]);
  const acting = h.service.act({ kind: 'swap', direction: 'eth-to-token', amount: '0.1', slippageBps: 50 }).then(
    () => null,
    (error: unknown) => error,
  );
  const pending = await waitFor(async () => h.txs.list().find((x) => x.status === 'pending' && x.label.startsWith('Swap')), 'the swap in the mempool', 15_000);
  await h.txs.cancel(pending.id, h.user);
  await h.provider.send('evm_mine', []);
  await h.provider.send('evm_setAutomine', [true]);
  const error = await acting;
  assert.ok(isHearthError(error) && error.code === 'tx_replaced', String(error));
  assert.match((error as Error).message, /cancelled/);
  assert.equal(await h.tokenOf(h.user.address), before, 'nothing was swapped');
});
