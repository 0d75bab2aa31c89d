// Issue 14's protocol figures, measured on the real contracts (a fresh in-process chain per
// scenario). Shared by bench/protocol.ts and contracts/test/gas.test.ts.
//   pump_cost_ratio: tokens an attacker loses to raise the price one full step, divided by
//     the fees one honest epoch at target pays (goal >= 1). Cheapest of two routes: a whole
//     target of pretended units on top of an honest at-target epoch, or twice the target
//     in an idle epoch. (Claims left to expire count no demand: that route cannot pump.)
//   griefing_cost_ratio: collateral a provider holding N open claims has locked, divided by
//     the value of those N jobs (units x claim price); the minimum over N = 1, 2, 5, 10, 20
//     (goal >= collateralBps / 10_000).
import { CLASS_ID, TOKEN, deployWorld, findEvent, now, send, type Connection, type Signer, type Terms, type World } from './fixture.ts';

export const PROTOCOL_GOALS = { pump_cost_ratio: 1, griefing_cost_ratio: 1.5 };
const RESULT = '0x' + 'cd'.repeat(32);

const balance = async (w: World, who: string) => (await w.token.getFunction('balanceOf')(who)) as bigint;

async function post(w: World, requester: Signer, units: bigint, maxPrice: bigint): Promise<{ jobId: bigint; terms: Terms }> {
  const deadline = (await now(w.conn)) + 500n;
  const id = w.conn.ethers.id;
  const rc = await send(w.market, requester, 'post', id('m'), id('i'), 'u', units, maxPrice, deadline);
  const jobId = findEvent(w.market, rc, 'JobPosted').args.jobId as bigint;
  return { jobId, terms: { requester: requester.address, units, maxPricePerUnit: maxPrice, deadline } };
}

/** Waits for the next epoch to start, mines into it and returns the price there. */
async function freshEpoch(w: World): Promise<bigint> {
  const { epochStart } = (await w.market.getFunction('priceState')()) as { epochStart: bigint };
  const length = (await w.market.getFunction('epochLength')()) as bigint;
  const t = await now(w.conn);
  await w.conn.networkHelpers.time.setNextBlockTimestamp(epochStart + ((t - epochStart) / length + 1n) * length);
  await w.conn.networkHelpers.mine();
  return (await w.market.getFunction('currentPrice')()) as bigint;
}

/** Claims, commits and (after the challenge window) settles `jobs`, all in this epoch. */
async function runJobs(w: World, jobs: { job: { jobId: bigint; terms: Terms }; provider: Signer }[]) {
  for (const { job, provider } of jobs) await send(w.market, provider, 'claim', job.jobId, job.terms, 0n);
  for (const { job, provider } of jobs) await send(w.market, provider, 'commit', job.jobId, job.terms, RESULT);
  await w.conn.networkHelpers.time.increase(Number(await w.market.getFunction('challengeWindow')()));
  for (const { job, provider } of jobs) await send(w.market, provider, 'settle', job.jobId, job.terms, RESULT);
}

/** One pump route; returns attacker loss / honest at-target fees, after checking the step. */
async function pumpRoute(conn: Connection, onTopOfHonest: boolean): Promise<number> {
  const w = await deployWorld(conn);
  const [honest, attacker] = w.requesters as [Signer, Signer];
  const [p1, p2] = w.providers as [Signer, Signer];
  await send(w.staking, p1, 'stake', CLASS_ID, 10_000n * TOKEN);
  const target = (await w.market.getFunction('targetUnitsPerEpoch')()) as bigint;
  const feeBps = BigInt((await w.market.getFunction('feeBps')()) as bigint);
  const stepBps = (await w.market.getFunction('maxStepBps')()) as bigint;
  const p0 = await freshEpoch(w);
  const start = (await balance(w, attacker.address)) + (await balance(w, p1.address));
  const fees = await balance(w, w.feeSink.address);
  const jobs = [{ job: await post(w, attacker, onTopOfHonest ? target : 2n * target, p0), provider: p1 }];
  if (onTopOfHonest) jobs.unshift({ job: await post(w, honest, target, p0), provider: p2 });
  await runJobs(w, jobs);
  const lost = start - (await balance(w, attacker.address)) - (await balance(w, p1.address));
  const allFees = (await balance(w, w.feeSink.address)) - fees;
  // The honest epoch's fees: measured when it ran alongside, else what target units pay.
  const honestFees = onTopOfHonest ? allFees - lost : (target * p0 * feeBps + 9_999n) / 10_000n;
  const after = await freshEpoch(w);
  const fullStep = p0 + (p0 * stepBps) / 10_000n;
  if (after !== fullStep) throw new Error(`pump route did not raise the price a full step: ${after} vs ${fullStep}`);
  return Number(lost) / Number(honestFees);
}

export async function pumpCostRatio(conn: Connection): Promise<number> {
  return Math.min(await pumpRoute(conn, true), await pumpRoute(conn, false));
}

/** Locked collateral / value of the jobs for a provider holding `n` open claims of mixed sizes. */
async function griefingRatio(conn: Connection, n: number): Promise<number> {
  const w = await deployWorld(conn);
  const [r1] = w.requesters as [Signer];
  const p1 = w.providers[0]!;
  await send(w.staking, p1, 'stake', CLASS_ID, 100_000n * TOKEN);
  const lockedBefore = ((await w.staking.getFunction('classStakes')(p1.address, CLASS_ID)) as { locked: bigint }).locked;
  let value = 0n;
  for (let i = 0; i < n; i++) {
    // Small jobs (the miss-penalty floor binds) and large ones (the bps share binds), odd sizes.
    const units = BigInt([10, 700, 3_001, 20_017][i % 4]! + i);
    const job = await post(w, r1, units, TOKEN / 50n);
    const rc = await send(w.market, p1, 'claim', job.jobId, job.terms, 0n);
    value += units * (findEvent(w.market, rc, 'JobClaimed').args.pricePerUnit as bigint);
  }
  const locked = ((await w.staking.getFunction('classStakes')(p1.address, CLASS_ID)) as { locked: bigint }).locked - lockedBefore;
  return Number((locked * 1_000_000n) / value) / 1_000_000;
}

export async function griefingCostRatio(conn: Connection): Promise<{ min: number; byN: Record<number, number> }> {
  const byN: Record<number, number> = {};
  for (const n of [1, 2, 5, 10, 20]) byN[n] = await griefingRatio(conn, n);
  return { min: Math.min(...Object.values(byN)), byN };
}
