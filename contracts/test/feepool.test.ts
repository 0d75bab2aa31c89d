// FeePool: an ERC-4626 pool that the market pays its protocol fee into.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { network } from 'hardhat';
import type { Contract } from 'ethers';
import { TOKEN, deployWorld, expectRevert, postJob, send, type Signer, type World } from '../testkit/fixture.ts';

const conn = await network.create();
const { networkHelpers: nh, ethers } = conn;
const RESULT = ethers.id('result');

async function poolWorld(): Promise<World> {
  return deployWorld(conn, { earn: { seed: 0n } });
}
const call = async <T = bigint>(c: Contract, method: string, ...args: unknown[]) => (await c.getFunction(method)(...args)) as T;
const bal = (w: World, who: string) => call(w.token, 'balanceOf', who);

/** One whole job through the market; returns the protocol fee it paid. */
async function runJob(w: World, units: bigint): Promise<bigint> {
  const [r1] = w.requesters as [Signer];
  const [p1] = w.providers as [Signer];
  const { jobId, terms } = await postJob(w, r1, { units });
  await send(w.market, p1, 'claim', jobId, terms, 0n);
  await send(w.market, p1, 'commit', jobId, terms, RESULT);
  await nh.time.increase(31);
  const pool = await w.pool!.getAddress();
  const before = await bal(w, pool);
  await send(w.market, p1, 'settle', jobId, terms, RESULT);
  return (await bal(w, pool)) - before;
}

describe('FeePool', () => {
  it('receives the market fee, and depositors share it in proportion', async () => {
    const w = await nh.loadFixture(poolWorld);
    const pool = w.pool!;
    const [a, b] = [w.requesters[1]!, w.outsider];
    assert.equal(await call(w.market, 'feeRecipient'), await pool.getAddress());
    assert.equal(await call(pool, 'decimals'), 24n);
    await send(pool, a, 'deposit', 1_000n * TOKEN, a.address);
    await send(pool, b, 'deposit', 3_000n * TOKEN, b.address);
    const va = await call(pool, 'convertToAssets', await call(pool, 'balanceOf', a.address));
    const fee = await runJob(w, 100n);
    assert.ok(fee > 0n, 'the settlement paid a fee into the pool');
    const va2 = await call(pool, 'convertToAssets', await call(pool, 'balanceOf', a.address));
    const vb2 = await call(pool, 'convertToAssets', await call(pool, 'balanceOf', b.address));
    assert.ok(va2 > va, 'share value grew with the fee');
    // a holds a quarter of the shares: a quarter of the fee, give or take the virtual shares' sliver.
    assert.ok(va2 - va <= fee / 4n && va2 - va >= fee / 4n - fee / 10n ** 8n, `${va2 - va} of ${fee}`);
    assert.ok(vb2 - 3_000n * TOKEN <= (fee * 3n) / 4n);
    // Redeeming everything pays out principal plus the fee share, never more than the pool holds.
    const before = await bal(w, a.address);
    await send(pool, a, 'redeem', await call(pool, 'balanceOf', a.address), a.address, a.address);
    assert.equal((await bal(w, a.address)) - before, va2);
  });

  it('is unprofitable to attack by inflating the first share', async () => {
    const w = await nh.loadFixture(poolWorld);
    const pool = w.pool!;
    const [attacker, victim] = [w.requesters[1]!, w.outsider];
    const a0 = await bal(w, attacker.address);
    const v0 = await bal(w, victim.address);
    await send(pool, attacker, 'deposit', 1n, attacker.address);
    await send(w.token, attacker, 'transfer', await pool.getAddress(), 50_000n * TOKEN);
    await send(pool, victim, 'deposit', 2_000n * TOKEN, victim.address);
    for (const who of [attacker, victim]) {
      await send(pool, who, 'redeem', await call(pool, 'balanceOf', who.address), who.address, who.address);
    }
    const attackerLoss = a0 - (await bal(w, attacker.address));
    const victimLoss = v0 - (await bal(w, victim.address));
    assert.ok(attackerLoss > victimLoss, `attacker lost ${attackerLoss}, victim ${victimLoss}`);
    assert.ok(attackerLoss > 20_000n * TOKEN, `attacker lost only ${attackerLoss}`); // about half the donation
    assert.ok(victimLoss < TOKEN / 10n);
  });

  it('refuses zero amounts and rounds in the pool’s favour', async () => {
    const w = await nh.loadFixture(poolWorld);
    const pool = w.pool!;
    const a = w.outsider;
    for (const [method, args] of [
      ['deposit', [0n, a.address]],
      ['mint', [0n, a.address]],
      ['withdraw', [0n, a.address, a.address]],
      ['redeem', [0n, a.address, a.address]],
    ] as const) {
      await expectRevert(send(pool, a, method, ...args), pool, 'ZeroAmount');
    }
    await send(pool, a, 'deposit', 1_000n * TOKEN, a.address);
    await runJob(w, 7n); // an odd fee makes the share price non-round
    const before = await bal(w, a.address);
    const shares = await call(pool, 'previewDeposit', 333n);
    await send(pool, a, 'deposit', 333n, a.address);
    await send(pool, a, 'redeem', shares, a.address, a.address);
    assert.ok((await bal(w, a.address)) <= before, 'a round trip never pays out more than it took');
  });
});
