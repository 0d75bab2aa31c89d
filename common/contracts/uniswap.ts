/**
 * The token/ETH pair on Uniswap V2, deployed from the registry's audited build artifacts
 * (see uniswap-artifacts.ts), never re-implemented. Router02 finds pairs by CREATE2 with the
 * pair's init code hash baked into its bytecode: if that hash and the factory's pair code
 * disagree, the router silently talks to an empty address. So the hash is checked before
 * deploying and the router is checked against the real pair afterwards.
 */
import {
  Contract,
  ContractFactory,
  getAddress,
  getCreate2Address,
  keccak256,
  solidityPackedKeccak256,
  type InterfaceAbi,
  type Signer,
} from 'ethers';
import { sendAndWait } from './send.ts';
import { uniswapArtifacts } from './uniswap-artifacts.ts';

export const uniswapFactoryAbi = uniswapArtifacts.UniswapV2Factory.abi as unknown as InterfaceAbi;
export const uniswapPairAbi = uniswapArtifacts.UniswapV2Pair.abi as unknown as InterfaceAbi;
export const uniswapRouterAbi = uniswapArtifacts.UniswapV2Router02.abi as unknown as InterfaceAbi;
export const wethAbi = uniswapArtifacts.WETH9.abi as unknown as InterfaceAbi;

export interface UniswapDeployment {
  factory: string;
  router: string;
  weth: string;
  pair: string;
}

/** The creation code deployUniswap uses; tests swap one to prove the checks bite. */
export interface UniswapBytecode {
  factory: string;
  pair: string;
  router: string;
  weth: string;
}

export const uniswapBytecode: UniswapBytecode = {
  factory: uniswapArtifacts.UniswapV2Factory.bytecode,
  pair: uniswapArtifacts.UniswapV2Pair.bytecode,
  router: uniswapArtifacts.UniswapV2Router02.bytecode,
  weth: uniswapArtifacts.WETH9.bytecode,
};

export class UniswapCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UniswapCheckError';
  }
}

/**
 * Refuses a build whose router would compute pair addresses from a different init code hash
 * than the factory's pairs have. Returns the hash.
 */
export function checkInitCodeHash(code: UniswapBytecode = uniswapBytecode): string {
  const hash = keccak256(code.pair);
  if (!code.factory.toLowerCase().includes(code.pair.slice(2).toLowerCase())) {
    throw new UniswapCheckError('The Uniswap factory bytecode does not create the pair bytecode shipped beside it; refusing to deploy.');
  }
  if (!code.router.toLowerCase().includes(hash.slice(2).toLowerCase())) {
    throw new UniswapCheckError(
      `The Uniswap router does not embed the pair init code hash ${hash}: it would look for pairs at the wrong addresses. Refusing to deploy.`,
    );
  }
  return hash;
}

/** The pair address the router derives for two tokens (UniswapV2Library.pairFor). */
export function pairAddressFor(factory: string, a: string, b: string, initCodeHash: string): string {
  const [t0, t1] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return getCreate2Address(factory, solidityPackedKeccak256(['address', 'address'], [t0, t1]), initCodeHash);
}

export interface DeployUniswapOptions {
  token: string;
  seedTokenWei: bigint;
  seedEthWei: bigint;
  code?: UniswapBytecode;
  log?: (line: string) => void;
}

/**
 * Deploys WETH9, the factory (fee setter: the deployer) and Router02, then creates and seeds
 * the token/ETH pair through the router. The deployer must hold `seedTokenWei` tokens and
 * `seedEthWei` plus gas.
 */
export async function deployUniswap(deployer: Signer, options: DeployUniswapOptions): Promise<UniswapDeployment> {
  const code = options.code ?? uniswapBytecode;
  const log = options.log ?? (() => undefined);
  const initCodeHash = checkInitCodeHash(code);
  if (options.seedTokenWei <= 0n || options.seedEthWei <= 0n) throw new Error('The pair needs a positive token and ETH seed.');
  const me = await deployer.getAddress();
  const deploy = async (name: string, abi: InterfaceAbi, bytecode: string, args: unknown[]): Promise<Contract> => {
    const contract = await new ContractFactory(abi, bytecode, deployer).deploy(...args);
    await contract.waitForDeployment();
    log(`${name} at ${await contract.getAddress()}`);
    return contract as Contract;
  };
  const weth = await deploy('WETH9', wethAbi, code.weth, []);
  const factory = await deploy('UniswapV2Factory', uniswapFactoryAbi, code.factory, [me]);
  const wethAddress = await weth.getAddress();
  const factoryAddress = await factory.getAddress();
  const router = await deploy('UniswapV2Router02', uniswapRouterAbi, code.router, [factoryAddress, wethAddress]);
  const routerAddress = await router.getAddress();

  const token = new Contract(options.token, ['function approve(address,uint256) returns (bool)'], deployer);
  await sendAndWait(token, 'approve', [routerAddress, options.seedTokenWei]);
  const block = await deployer.provider!.getBlock('latest');
  const deadline = BigInt(block!.timestamp) + 600n;
  await sendAndWait(router, 'addLiquidityETH', [options.token, options.seedTokenWei, options.seedTokenWei, options.seedEthWei, me, deadline], {
    value: options.seedEthWei,
  });

  const pair = getAddress((await factory.getFunction('getPair')(options.token, wethAddress)) as string);
  const derived = pairAddressFor(factoryAddress, options.token, wethAddress, initCodeHash);
  if (pair !== derived) {
    throw new UniswapCheckError(
      `The factory created the pair at ${pair} but the router looks for it at ${derived}; the init code hash does not match.`,
    );
  }
  // The router itself must find the pair: getAmountsOut reads its reserves through pairFor.
  const pairContract = new Contract(pair, uniswapPairAbi, deployer);
  const [r0, r1] = (await pairContract.getFunction('getReserves')()) as [bigint, bigint, bigint];
  const tokenIs0 = BigInt(options.token) < BigInt(wethAddress);
  const [reserveIn, reserveOut] = tokenIs0 ? [r0, r1] : [r1, r0];
  const amountIn = 10n ** 18n;
  const expected = (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n);
  const amounts = (await router.getFunction('getAmountsOut')(amountIn, [options.token, wethAddress])) as bigint[];
  if (amounts[1] !== expected)
    throw new UniswapCheckError(`The router quotes ${amounts[1]} for one token where the pair's reserves give ${expected}.`);
  log(`UniswapV2Pair at ${pair}`);
  return { factory: factoryAddress, router: routerAddress, weth: wethAddress, pair };
}
