/**
 * A positions service on a real local chain for tests: the demo protocol with its Uniswap pair,
 * a transaction manager with its journal, a ledger, and a dev account funded with tokens.
 */
import { HeadroomWallet } from '../../common/contracts/send.ts';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, NonceManager, Wallet, parseEther } from 'ethers';
import { attach } from '../../common/contracts/deploy.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { uniswapRouterAbi } from '../../common/contracts/uniswap.ts';
import { HearthError } from '../../common/errors.ts';
import { startProtocolDevnet, type Devnet } from '../chain/devnet.ts';
import { createRpcClient } from '../chain/rpc.ts';
import { TxJournal } from '../chain/tx-journal.ts';
import { TxManager, type ActiveNetwork } from '../chain/tx-manager.ts';
import { openLedger, type Ledger } from '../ledger/index.ts';
import { memoryLogger, tempDir } from '../test-support.ts';
import { systemClock } from '../node-ports.ts';
import { createPositionsService, type PositionsDeps, type PositionsService } from './service.ts';

export interface Harness {
  devnet: Devnet & { deployment: Deployment };
  provider: JsonRpcProvider;
  net: ActiveNetwork;
  txs: TxManager;
  ledger: Ledger;
  user: Wallet;
  service: PositionsService;
  /** Points the service and the transaction manager at another RPC URL (a proxy, a restarted chain). */
  useRpc(url: string): void;
  /** Makes the wallet locked (signer throws) or unlocked again. */
  setLocked(locked: boolean): void;
  /** Builds another service over the same pieces with some deps replaced. */
  serviceWith(overrides: Partial<PositionsDeps>): PositionsService;
  /** Admin-side handles (dev account 0 holds the supply). */
  admin: ReturnType<typeof attach>;
  /** A second trader who moves the price. */
  trader: { signer: NonceManager; router: Contract };
  tokenOf(address: string): Promise<bigint>;
  nonceOf(address: string): Promise<number>;
  timeTravel(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: { userIndex?: number; userTokens?: bigint; stateDir?: string } = {}): Promise<Harness> {
  const devnet = await startProtocolDevnet({
    blockTimeSeconds: 0,
    ...(options.stateDir ? { stateDir: options.stateDir, stateIntervalSeconds: 1 } : {}),
  });
  const dir = await tempDir('hearth-positions-');
  const provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  try {
    const rpc = createRpcClient({ urls: [devnet.rpcUrl], clock: systemClock });
    let net: ActiveNetwork = { id: 'devnet', chainId: devnet.chainId, rpc, explorerUrl: null };
    const journal = await TxJournal.open(join(dir.dir, 'transactions.json'), Date.now, () => undefined);
    const txs = new TxManager({
      journal,
      clock: systemClock,
      logger: memoryLogger(),
      network: () => net,
      confirmations: () => 1,
      onChange: () => undefined,
    });
    const ledger = openLedger({ path: join(dir.dir, 'ledger.sqlite'), clock: systemClock });
    const user = new Wallet(devnet.accounts[options.userIndex ?? 5]!.privateKey);
    const adminSigner = new NonceManager(new HeadroomWallet(devnet.accounts[0]!.privateKey, provider));
    const admin = attach(devnet.deployment, adminSigner);
    await (
      (await admin.token.getFunction('transfer')(user.address, options.userTokens ?? parseEther('100000'))) as { wait(): Promise<unknown> }
    ).wait();
    const traderSigner = new NonceManager(new HeadroomWallet(devnet.accounts[6]!.privateKey, provider));
    const router = new Contract(devnet.deployment.uniswap!.router, uniswapRouterAbi, traderSigner);
    let locked = false;
    const base: PositionsDeps = {
      clock: systemClock,
      network: () => net,
      networkProblem: () => 'The local chain is not reachable.',
      chainId: () => devnet.chainId,
      deployment: () => devnet.deployment,
      account: () => ({ address: user.address }),
      signer: () => {
        if (locked) throw new HearthError('wallet_locked', 'The wallet is locked. Unlock it with your password first.');
        return user;
      },
      txs: () => txs,
      ledger: () => ledger,
      tokenSymbol: () => 'HRTH',
      nativeSymbol: () => 'ETH',
      txTimeoutMs: 30_000,
    };
    return {
      devnet,
      provider,
      get net() {
        return net;
      },
      txs,
      ledger,
      user,
      service: createPositionsService(base),
      setLocked: (value) => void (locked = value),
      useRpc: (url) => {
        net = { ...net, rpc: createRpcClient({ urls: [url], clock: systemClock }) };
      },
      serviceWith: (overrides) => createPositionsService({ ...base, ...overrides }),
      admin,
      trader: { signer: traderSigner, router },
      tokenOf: async (address) => (await admin.token.getFunction('balanceOf')(address)) as bigint,
      nonceOf: (address) => provider.getTransactionCount(address, 'latest'),
      timeTravel: async (seconds) => {
        await provider.send('evm_increaseTime', [seconds]);
        await provider.send('evm_mine', []);
      },
      stop: async () => {
        provider.destroy();
        ledger.close();
        await devnet.stop();
        await dir.cleanup();
      },
    };
  } catch (error) {
    provider.destroy();
    await devnet.stop();
    await dir.cleanup();
    throw error;
  }
}

export interface SettledJob {
  fee: bigint;
  /** What the provider was paid, before any auto-repayment. */
  net: bigint;
  /** AutoRepaid amount (0 when none). */
  repaid: bigint;
  /** Debt left after the settlement's repayment (the vault's Repaid event), when there was one. */
  debtLeft: bigint | null;
}

/**
 * One job through a market the way the contracts run it, with dev accounts: account 7 posts,
 * the harness user (a registered provider with free stake) claims and commits, and after the
 * challenge window the requester settles. Returns what the settlement paid and repaid.
 */
export async function settleJob(h: Harness, classLabel: string, units: number): Promise<SettledJob> {
  const m = h.devnet.deployment.markets.find((x) => x.classLabel === classLabel)!;
  const requester = new NonceManager(new HeadroomWallet(h.devnet.accounts[7]!.privateKey, h.provider));
  const provider = new NonceManager(new HeadroomWallet(h.user.privateKey, h.provider));
  const send = async (c: Contract, method: string, ...args: unknown[]) =>
    (await ((await c.getFunction(method)(...args)) as { wait(): Promise<{ logs: { topics: string[]; data: string }[] } | null> }).wait())!;
  const asRequester = attach(h.devnet.deployment, requester);
  const market = asRequester.markets.find((x) => x.address === m.address)!.contract;
  const price = (await market.getFunction('currentPrice')()) as bigint;
  const escrow = price * BigInt(units);
  await send(h.admin.token, 'transfer', await requester.getAddress(), escrow);
  await send(asRequester.token, 'approve', m.address, escrow);
  const now = (await h.provider.getBlock('latest'))!.timestamp;
  const terms = { requester: await requester.getAddress(), units: BigInt(units), maxPricePerUnit: price, deadline: BigInt(now + 300) };
  const posted = await send(market, 'post', ZERO32, ZERO32, 'test://job', terms.units, terms.maxPricePerUnit, terms.deadline);
  const jobId = event(market, posted.logs, 'JobPosted')[0]!.args[0] as bigint;
  const asProvider = market.connect(provider) as Contract;
  await send(asProvider, 'claim', jobId, terms, 0n);
  const result = '0x' + '11'.repeat(32);
  await send(asProvider, 'commit', jobId, terms, result);
  await h.timeTravel(Number((await market.getFunction('challengeWindow')()) as bigint) + 1);
  const settled = await send(market, 'settle', jobId, terms, result);
  const s = event(market, settled.logs, 'JobSettled')[0]!;
  const auto = event(market, settled.logs, 'AutoRepaid')[0];
  const repaid = h.admin.lending ? event(h.admin.lending, settled.logs, 'Repaid')[0] : undefined;
  return {
    net: s.args[2] as bigint,
    fee: s.args[3] as bigint,
    repaid: auto ? (auto.args[2] as bigint) : 0n,
    debtLeft: repaid ? (repaid.args[3] as bigint) : null,
  };
}

const ZERO32 = '0x' + '00'.repeat(32);

function event(c: Contract, logs: { topics: string[]; data: string }[], name: string) {
  const topic = c.interface.getEvent(name)!.topicHash;
  return logs.filter((l) => l.topics[0] === topic).map((l) => c.interface.parseLog(l)!);
}
