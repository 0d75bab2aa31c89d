// The agent's collateral arithmetic must agree with the market's to the wei, or it would
// claim jobs the contract refuses (or pass over jobs it could take).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { JsonRpcProvider } from 'ethers';
import { attach } from '../../common/contracts/deploy.ts';
import { startProtocolDevnet } from '../chain/devnet.ts';
import { collateralWei } from './policy.ts';

let devnet: Awaited<ReturnType<typeof startProtocolDevnet>>;
let provider: JsonRpcProvider;
before(async () => {
  devnet = await startProtocolDevnet();
  provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true });
});
after(async () => {
  provider.destroy();
  await devnet.stop();
});

test("collateralWei equals JobMarket.collateralFor for any job size and price", { timeout: 60_000 }, async () => {
  const market = attach(devnet.deployment, provider).markets[0]!.contract;
  const penalty = BigInt(await market.getFunction('missPenalty')());
  const bps = Number(await market.getFunction('collateralBps')());
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.bigInt({ min: 1n, max: 2n ** 96n - 1n }), async (units, price) => {
      const onChain = BigInt(await market.getFunction('collateralFor')(units, price));
      assert.equal(collateralWei(units, price, penalty, bps), onChain);
    }),
    { numRuns: 60 },
  );
});
