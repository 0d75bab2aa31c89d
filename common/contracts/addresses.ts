import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an 0x-prefixed 20-byte hex address');
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'an 0x-prefixed 32-byte hex value');

/** One JobMarket: the market for a single device class. */
export const marketDeploymentSchema = z.object({
  /** Human label the class id was derived from (`classIdOf(label)`), e.g. "gpu-24gb". */
  classLabel: z.string().min(1),
  classId: bytes32,
  address,
});

/**
 * The deployment addresses file: everything the app needs to talk to a protocol
 * deployment besides an RPC URL. Written by the deploy script, read by the chain client.
 */
export const deploymentSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int().positive(),
  /** Block the protocol was deployed in: where log scans can start. */
  startBlock: z.number().int().nonnegative(),
  token: address,
  staking: address,
  /** Only on development chains. */
  faucet: address.nullable(),
  markets: z.array(marketDeploymentSchema).min(1),
  /** ERC-4626 LendingVault: lend tokens, providers borrow to stake. Absent on older files. */
  lending: address.nullable().optional(),
  /** ERC-4626 FeePool that receives the markets' protocol fee. */
  feePool: address.nullable().optional(),
  /** The token/ETH pair on Uniswap V2 and the router to trade and provide liquidity through. */
  uniswap: z
    .object({ factory: address, router: address, weth: address, pair: address })
    .nullable()
    .optional(),
});

export type MarketDeployment = z.infer<typeof marketDeploymentSchema>;
export type Deployment = z.infer<typeof deploymentSchema>;

/** Parses an addresses file's JSON text; throws a ZodError naming the bad field. */
export function parseDeployment(json: string): Deployment {
  return deploymentSchema.parse(JSON.parse(json));
}

/** Every contract address a deployment names, each of which must have code on its chain. */
export function deploymentAddresses(d: Deployment): string[] {
  return [
    d.token,
    d.staking,
    ...(d.faucet ? [d.faucet] : []),
    ...d.markets.map((m) => m.address),
    ...(d.lending ? [d.lending] : []),
    ...(d.feePool ? [d.feePool] : []),
    ...(d.uniswap ? [d.uniswap.factory, d.uniswap.router, d.uniswap.weth, d.uniswap.pair] : []),
  ];
}
