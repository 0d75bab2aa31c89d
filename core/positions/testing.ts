/**
 * A positions service on a real local chain for tests: the demo protocol with its Uniswap pair,
 * a transaction manager with its journal, a ledger, and a dev account funded with tokens.
 */
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
    const adminSigner = new NonceManager(new Wallet(devnet.accounts[0]!.privateKey, provider));
    const admin = attach(devnet.deployment, adminSigner);
    await (
      (await admin.token.getFunction('transfer')(user.address, options.userTokens ?? parseEther('100000'))) as { wait(): Promise<unknown> }
    ).wait();
    const traderSigner = new NonceManager(new Wallet(devnet.accounts[6]!.privateKey, provider));
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
