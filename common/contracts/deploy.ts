import {
  Contract,
  ContractFactory,
  JsonRpcProvider,
  NonceManager,
  Wallet,
  ZeroHash,
  type ContractRunner,
  type InterfaceAbi,
  type Signer,
} from 'ethers';
import { sendAndWait } from './send.ts';
import { deploymentSchema, type Deployment, type MarketDeployment } from './addresses.ts';
import { devFaucetAbi, feePoolAbi, hearthTokenAbi, jobMarketAbi, lendingVaultAbi, providerStakingAbi } from './abis.ts';
import { bytecode } from './bytecode.ts';
import { deployEarn } from './deploy-earn.ts';
import { classIdOf, type ProtocolParams, type ProtocolRoles } from './params.ts';
import { deployUniswap } from './uniswap.ts';

/** ABI + creation bytecode for each deployable contract. */
export interface ContractSources {
  HearthToken: { abi: InterfaceAbi; bytecode: string };
  DevFaucet: { abi: InterfaceAbi; bytecode: string };
  ProviderStaking: { abi: InterfaceAbi; bytecode: string };
  JobMarket: { abi: InterfaceAbi; bytecode: string };
  LendingVault: { abi: InterfaceAbi; bytecode: string };
  FeePool: { abi: InterfaceAbi; bytecode: string };
}

/** The committed, exported build (common/contracts/bytecode.ts). */
export const exportedSources: ContractSources = {
  HearthToken: { abi: hearthTokenAbi, bytecode: bytecode.HearthToken },
  DevFaucet: { abi: devFaucetAbi, bytecode: bytecode.DevFaucet },
  ProviderStaking: { abi: providerStakingAbi, bytecode: bytecode.ProviderStaking },
  JobMarket: { abi: jobMarketAbi, bytecode: bytecode.JobMarket },
  LendingVault: { abi: lendingVaultAbi, bytecode: bytecode.LendingVault },
  FeePool: { abi: feePoolAbi, bytecode: bytecode.FeePool },
};

export interface DeployOptions {
  params: ProtocolParams;
  roles?: ProtocolRoles;
  /** Defaults to the committed export; tests pass freshly compiled artifacts. */
  sources?: ContractSources;
  /** Progress lines for a CLI. */
  log?: (line: string) => void;
}

const role = (name: string): string => classIdOf(name); // keccak256 of the role name, as in Solidity

/**
 * Deploys token, staking, one market per class and (devnet only) a faucet, wires the
 * roles, and returns the addresses file content. `deployer` pays for everything and
 * ends up holding the whole token supply (minus the faucet's funding).
 */
export async function deployProtocol(deployer: Signer, options: DeployOptions): Promise<Deployment> {
  const { params } = options;
  const sources = options.sources ?? exportedSources;
  const log = options.log ?? (() => undefined);
  const me = await deployer.getAddress();
  const admin = options.roles?.admin ?? me;
  const arbiter = options.roles?.arbiter ?? me;
  const feeRecipient = options.roles?.feeRecipient ?? me;
  const slashRecipient = options.roles?.slashRecipient ?? me;
  const provider = deployer.provider;
  if (!provider) throw new Error('deployProtocol needs a signer connected to a provider');
  const network = await provider.getNetwork();
  const startBlock = await provider.getBlockNumber();

  const deploy = async (name: keyof ContractSources, args: unknown[]): Promise<Contract> => {
    const source = sources[name];
    const factory = new ContractFactory(source.abi, source.bytecode, deployer);
    const contract = await factory.deploy(...args);
    await contract.waitForDeployment();
    log(`${name} at ${await contract.getAddress()}`);
    return contract as Contract;
  };
  const send = sendAndWait;

  const token = await deploy('HearthToken', [params.token.name, params.token.symbol, params.token.supply, me]);
  const tokenAddress = await token.getAddress();
  const staking = await deploy('ProviderStaking', [
    tokenAddress,
    me,
    params.staking.unbondingDelay,
    params.staking.finderFeeBps,
    slashRecipient,
  ]);
  const stakingAddress = await staking.getAddress();

  const markets: MarketDeployment[] = [];
  for (const m of params.markets) {
    const classId = classIdOf(m.classLabel);
    await send(staking, 'setMinStake', [classId, m.minStake]);
    const market = await deploy('JobMarket', [
      tokenAddress,
      stakingAddress,
      {
        classId,
        epochLength: m.epochLength,
        targetUnitsPerEpoch: m.targetUnitsPerEpoch,
        initialPrice: m.initialPrice,
        floorPrice: m.floorPrice,
        maxStepBps: m.maxStepBps,
        challengeWindow: m.challengeWindow,
        maxJobDuration: m.maxJobDuration,
        feeBps: m.feeBps,
        feeRecipient,
        missPenalty: m.missPenalty,
        disputeBond: m.disputeBond,
        rulingPeriod: m.rulingPeriod,
        collateralBps: m.collateralBps,
        disputeBondBps: m.disputeBondBps,
      },
      admin,
      arbiter,
    ]);
    const marketAddress = await market.getAddress();
    await send(staking, 'grantRole', [role('MARKET_ROLE'), marketAddress]);
    markets.push({ classLabel: m.classLabel, classId, address: marketAddress });
  }
  const earn = params.lending
    ? await deployEarn(deployer, {
        token: tokenAddress,
        staking: stakingAddress,
        markets: markets.map((m, i) => ({ address: m.address, feeBps: params.markets[i]!.feeBps })),
        params: params.lending,
        sources,
        tokenSymbol: params.token.symbol,
        setMarketFees: admin.toLowerCase() === me.toLowerCase(),
        log,
      })
    : null;
  await send(staking, 'grantRole', [role('ARBITER_ROLE'), arbiter]);
  await send(staking, 'grantRole', [role('REWARD_DISTRIBUTOR_ROLE'), admin]);

  let faucetAddress: string | null = null;
  if (params.faucet) {
    const faucet = await deploy('DevFaucet', [tokenAddress, params.faucet.dripAmount, params.faucet.cooldown]);
    faucetAddress = await faucet.getAddress();
    await send(token, 'transfer', [faucetAddress, params.faucet.funding]);
  }
  if (admin.toLowerCase() !== me.toLowerCase()) {
    // Hand the staking admin over; the markets were created with `admin` already.
    await send(staking, 'grantRole', [ZeroHash, admin]);
    await send(staking, 'renounceRole', [ZeroHash, me]);
  }

  const uniswap = params.liquidity ? await deployUniswap(deployer, { token: tokenAddress, ...params.liquidity, log }) : null;

  return deploymentSchema.parse({
    version: 1,
    chainId: Number(network.chainId),
    startBlock,
    token: tokenAddress,
    staking: stakingAddress,
    faucet: faucetAddress,
    markets,
    lending: earn?.lending ?? null,
    feePool: earn?.feePool ?? null,
    ...(uniswap ? { uniswap } : {}),
  });
}

/** Typed-enough handles on a deployment for scripts and tests. */
export function attach(deployment: Deployment, runner: ContractRunner) {
  return {
    token: new Contract(deployment.token, hearthTokenAbi, runner),
    staking: new Contract(deployment.staking, providerStakingAbi, runner),
    faucet: deployment.faucet ? new Contract(deployment.faucet, devFaucetAbi, runner) : null,
    markets: deployment.markets.map((m) => ({ ...m, contract: new Contract(m.address, jobMarketAbi as InterfaceAbi, runner) })),
    lending: deployment.lending ? new Contract(deployment.lending, lendingVaultAbi, runner) : null,
    feePool: deployment.feePool ? new Contract(deployment.feePool, feePoolAbi, runner) : null,
  };
}

/**
 * Deploys to the chain at `rpcUrl` with the key `privateKey` (on a devnet: one of its
 * funded dev accounts). Convenience for the app's default run and for scripts.
 */
export async function deployWithKey(rpcUrl: string, privateKey: string, options: DeployOptions): Promise<Deployment> {
  // The provider's 250 ms request cache would hand out a stale nonce on an automining
  // devnet; no cache, and nonces tracked locally.
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  try {
    return await deployProtocol(new NonceManager(new Wallet(privateKey, provider)), options);
  } finally {
    provider.destroy();
  }
}
