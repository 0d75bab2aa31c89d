import { Contract, ContractFactory, type InterfaceAbi, type Signer } from 'ethers';
import type { LendingParams } from './params.ts';
import { sendAndWait } from './send.ts';

/** ABI + creation bytecode of the two Earn contracts. */
export interface EarnSources {
  LendingVault: { abi: InterfaceAbi; bytecode: string };
  FeePool: { abi: InterfaceAbi; bytecode: string };
}

export interface EarnOptions {
  token: string;
  staking: string;
  /** Every market: its protocol fee goes to the pool at its own rate. */
  markets: { address: string; feeBps: number }[];
  params: LendingParams;
  sources: EarnSources;
  /** Share symbols derive from it: `lv<symbol>`, `fp<symbol>`. */
  tokenSymbol?: string;
  /** False when the markets' admin is not the deployer: it then has to call setFee itself. */
  setMarketFees?: boolean;
  log?: (line: string) => void;
}

export interface EarnDeployment {
  lending: string;
  feePool: string;
}

/**
 * Deploys the LendingVault and the FeePool, makes the vault the staking's lender, points
 * every market's fee at the pool, and seeds the vault with `params.seed` from the deployer.
 * `deployer` must still be the admin of the staking and of the markets.
 */
export async function deployEarn(deployer: Signer, options: EarnOptions): Promise<EarnDeployment> {
  const { params, sources } = options;
  const log = options.log ?? (() => undefined);
  const symbol = options.tokenSymbol ?? 'HRTH';
  if (params.slope2PerYear < 10n * params.slope1PerYear) throw new Error('lending: slope2 must be at least 10 x slope1');
  const deploy = async (name: keyof EarnSources, args: unknown[]): Promise<Contract> => {
    const factory = new ContractFactory(sources[name].abi, sources[name].bytecode, deployer);
    const contract = await factory.deploy(...args);
    await contract.waitForDeployment();
    log(`${name} at ${await contract.getAddress()}`);
    return contract as Contract;
  };
  const send = sendAndWait;

  const vault = await deploy('LendingVault', [
    options.token,
    options.staking,
    `Hearth Lending Vault`,
    `lv${symbol}`,
    {
      baseRatePerYear: params.baseRatePerYear,
      slope1PerYear: params.slope1PerYear,
      slope2PerYear: params.slope2PerYear,
      kink: params.kink,
      maxLtvBps: params.maxLtvBps,
      liquidationThresholdBps: params.liquidationThresholdBps,
      liquidationBonusBps: params.liquidationBonusBps,
      closeFactorBps: params.closeFactorBps,
      dustDebt: params.dustDebt,
    },
  ]);
  const lending = await vault.getAddress();
  const pool = await deploy('FeePool', [options.token, `Hearth Fee Pool`, `fp${symbol}`]);
  const feePool = await pool.getAddress();

  const staking = new Contract(options.staking, ['function setLender(address)'], deployer);
  await send(staking, 'setLender', [lending]);
  for (const m of options.setMarketFees === false ? [] : options.markets) {
    await send(new Contract(m.address, ['function setFee(address,uint256)'], deployer), 'setFee', [feePool, m.feeBps]);
  }
  if (params.seed > 0n) {
    const token = new Contract(options.token, ['function approve(address,uint256) returns (bool)'], deployer);
    await send(token, 'approve', [lending, params.seed]);
    await send(vault, 'deposit', [params.seed, await deployer.getAddress()]);
    log(`LendingVault seeded with ${params.seed} wei`);
  }
  return { lending, feePool };
}
