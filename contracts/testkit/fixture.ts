// Shared setup for the contract tests (kept outside contracts/test so the runner does not
// treat it as a test file).
import assert from 'node:assert/strict';
import type { network } from 'hardhat';
import type { Contract, ContractTransactionReceipt, ContractTransactionResponse, Log } from 'ethers';
import { deployProtocol, type ContractSources } from '../../common/contracts/deploy.ts';
import { classIdOf, demoLending, type LendingParams, type MarketParams, type ProtocolParams } from '../../common/contracts/params.ts';

export const TOKEN = 10n ** 18n;
export const CLASS_LABEL = 'gpu-test';
export const CLASS_ID = classIdOf(CLASS_LABEL);

export type Connection = Awaited<ReturnType<typeof network.connect>>;
export type Signer = Awaited<ReturnType<Connection['ethers']['getSigners']>>[number];

export interface Terms {
  requester: string;
  units: bigint;
  maxPricePerUnit: bigint;
  deadline: bigint;
}

export function testMarket(overrides: Partial<MarketParams> = {}): MarketParams {
  return {
    classLabel: CLASS_LABEL,
    minStake: 100n * TOKEN,
    epochLength: 60,
    targetUnitsPerEpoch: 100,
    initialPrice: TOKEN / 100n,
    floorPrice: 1_000n,
    maxStepBps: 1_250,
    challengeWindow: 30,
    maxJobDuration: 600,
    feeBps: 500,
    missPenalty: 10n * TOKEN,
    disputeBond: 5n * TOKEN,
    rulingPeriod: 600,
    collateralBps: 15_000,
    disputeBondBps: 1_000,
    ...overrides,
  };
}

export function testParams(market: Partial<MarketParams> = {}): ProtocolParams {
  return {
    token: { name: 'Hearth', symbol: 'HRTH', supply: 1_000_000_000n * TOKEN },
    staking: { unbondingDelay: 3_600, finderFeeBps: 1_000 },
    markets: [testMarket(market)],
    faucet: { funding: 1_000_000n * TOKEN, dripAmount: 1_000n * TOKEN, cooldown: 60 },
  };
}

/** Freshly compiled artifacts, so tests never run against a stale export. */
export async function compiledSources(conn: Connection): Promise<ContractSources> {
  const read = async (name: string) => {
    const artifact = await conn.ethers.getContractFactory(name);
    return { abi: artifact.interface.formatJson(), bytecode: artifact.bytecode };
  };
  return {
    HearthToken: await read('HearthToken'),
    DevFaucet: await read('DevFaucet'),
    ProviderStaking: await read('ProviderStaking'),
    JobMarket: await read('JobMarket'),
    LendingVault: await read('LendingVault'),
    FeePool: await read('FeePool'),
  };
}

export interface World {
  conn: Connection;
  token: Contract;
  staking: Contract;
  market: Contract;
  faucet: Contract;
  admin: Signer;
  arbiter: Signer;
  feeSink: Signer;
  slashSink: Signer;
  requesters: Signer[];
  providers: Signer[];
  outsider: Signer;
  /** With `earn`: the LendingVault (the staking's lender) and the FeePool (the market's fee recipient). */
  vault: Contract | null;
  pool: Contract | null;
}

/** Lending parameters of the tests: the demo curve, seeded with 1,000,000 tokens. */
export function testLending(overrides: Partial<LendingParams> = {}): LendingParams {
  return { ...demoLending(), ...overrides };
}

/** Deploys the protocol through the app's own deploy code and funds the actors. With
 * `stakeProviders` each provider registers for the class and stakes the minimum. */
export async function deployWorld(
  conn: Connection,
  opts: { market?: Partial<MarketParams>; stakeProviders?: boolean; earn?: boolean | Partial<LendingParams> } = {},
): Promise<World> {
  const { ethers } = conn;
  const signers = await ethers.getSigners();
  const [admin, arbiter, feeSink, slashSink, r1, r2, p1, p2, p3, outsider] = signers as [
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
  ];
  const params = testParams(opts.market);
  if (opts.earn) params.lending = testLending(opts.earn === true ? {} : opts.earn);
  const deployment = await deployProtocol(admin, {
    params,
    roles: { arbiter: arbiter.address, feeRecipient: feeSink.address, slashRecipient: slashSink.address },
    sources: await compiledSources(conn),
  });
  const token = await ethers.getContractAt('HearthToken', deployment.token);
  const staking = await ethers.getContractAt('ProviderStaking', deployment.staking);
  const market = await ethers.getContractAt('JobMarket', deployment.markets[0]!.address);
  const faucet = await ethers.getContractAt('DevFaucet', deployment.faucet!);
  const vault = deployment.lending ? await ethers.getContractAt('LendingVault', deployment.lending) : null;
  const pool = deployment.feePool ? await ethers.getContractAt('FeePool', deployment.feePool) : null;
  const requesters = [r1, r2];
  const providers = [p1, p2, p3];
  for (const who of [...requesters, ...providers, outsider]) {
    await send(token, admin, 'transfer', who.address, 1_000_000n * TOKEN);
    await send(token, who, 'approve', deployment.markets[0]!.address, 2n ** 256n - 1n);
    await send(token, who, 'approve', deployment.staking, 2n ** 256n - 1n);
    for (const c of [deployment.lending, deployment.feePool]) if (c) await send(token, who, 'approve', c, 2n ** 256n - 1n);
  }
  if (opts.stakeProviders ?? true) {
    for (const p of providers) {
      await send(staking, p, 'register', [CLASS_ID], `https://${p.address.slice(2, 8)}.example`);
      await send(staking, p, 'stake', CLASS_ID, 100n * TOKEN);
    }
  }
  return {
    conn,
    token: token,
    staking: staking,
    market: market,
    faucet: faucet,
    admin,
    arbiter,
    feeSink,
    slashSink,
    requesters,
    providers,
    outsider,
    vault,
    pool,
  };
}

export async function now(conn: Connection): Promise<bigint> {
  return BigInt(await conn.networkHelpers.time.latest());
}

/** Send a transaction and return its receipt. */
export async function send(contract: Contract, who: Signer, method: string, ...args: unknown[]): Promise<ContractTransactionReceipt> {
  const tx = (await (contract.connect(who) as Contract).getFunction(method)(...args)) as ContractTransactionResponse;
  const receipt = await tx.wait();
  assert.ok(receipt, `${method} produced no receipt`);
  return receipt;
}

export function findEvent(contract: Contract, receipt: ContractTransactionReceipt, name: string) {
  for (const log of receipt.logs as Log[]) {
    if (log.address.toLowerCase() !== (contract.target as string).toLowerCase()) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) return parsed;
  }
  assert.fail(`event ${name} not found`);
}

/** Posts a job and returns its id and terms, read back from the JobPosted event. */
export async function postJob(
  w: World,
  requester: Signer,
  opts: { units?: bigint; maxPrice?: bigint; ttl?: bigint; uri?: string } = {},
): Promise<{ jobId: bigint; terms: Terms; receipt: ContractTransactionReceipt }> {
  const deadline = (await now(w.conn)) + (opts.ttl ?? 300n);
  const receipt = await send(
    w.market,
    requester,
    'post',
    w.conn.ethers.id('model'),
    w.conn.ethers.id('input'),
    opts.uri ?? 'ipfs://bafyinput',
    opts.units ?? 10n,
    opts.maxPrice ?? TOKEN / 50n,
    deadline,
  );
  const ev = findEvent(w.market, receipt, 'JobPosted');
  const a = ev.args as unknown as { jobId: bigint; requester: string; units: bigint; maxPricePerUnit: bigint; deadline: bigint };
  return {
    jobId: a.jobId,
    terms: { requester: a.requester, units: a.units, maxPricePerUnit: a.maxPricePerUnit, deadline: a.deadline },
    receipt,
  };
}

/** Asserts `promise` reverts with the custom error `name` of `contract` (and `args`). */
export async function expectRevert(promise: Promise<unknown>, contract: Contract, name: string, args?: unknown[]): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const data = revertData(error);
    assert.ok(data, `expected revert ${name}, got ${String(error)}`);
    const parsed = contract.interface.parseError(data);
    assert.equal(parsed?.name, name, `expected ${name}, got ${parsed?.name ?? data}`);
    if (args) assert.deepEqual([...parsed.args], args);
    return;
  }
  assert.fail(`expected revert ${name}, but it succeeded`);
}

function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length) {
    const e = stack.pop();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && data.startsWith('0x') && data.length >= 10) return data;
    if (data && typeof data === 'object') stack.push(data);
    for (const key of ['error', 'info', 'cause', 'revert']) stack.push((e as Record<string, unknown>)[key]);
  }
  return undefined;
}

/** True when `error` is a transaction revert (as opposed to a bug in the test itself). */
export function isRevert(error: unknown): boolean {
  return revertData(error) !== undefined || /revert/i.test(String((error as Error)?.message ?? error));
}
