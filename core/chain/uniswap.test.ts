import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Contract, JsonRpcProvider, NonceManager, Wallet, keccak256 } from 'ethers';
import { deployWithKey } from '../../common/contracts/deploy.ts';
import { demoParams } from '../../common/contracts/params.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { uniswapPairInitCodeHash } from '../../common/contracts/uniswap-artifacts.ts';
import {
  checkInitCodeHash,
  deployUniswap,
  pairAddressFor,
  uniswapBytecode,
  uniswapPairAbi,
  UniswapCheckError,
} from '../../common/contracts/uniswap.ts';
import { startDevnet, type Devnet } from './devnet.ts';

describe('Uniswap V2 token/ETH pair on the local chain', () => {
  let devnet: Devnet;
  let provider: JsonRpcProvider;
  let deployment: Deployment;
  before(async () => {
    devnet = await startDevnet();
    provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 100 });
    deployment = await deployWithKey(devnet.rpcUrl, devnet.accounts[0]!.privateKey, { params: demoParams() });
  });
  after(async () => {
    provider.destroy();
    await devnet.stop();
  });

  it('ships the audited pair whose init code hash the router embeds', () => {
    assert.equal(keccak256(uniswapBytecode.pair), '0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f');
    assert.equal(uniswapPairInitCodeHash, keccak256(uniswapBytecode.pair));
    assert.equal(checkInitCodeHash(), uniswapPairInitCodeHash);
  });

  it('deployProtocol seeds the pair with the demo amounts', async () => {
    const u = deployment.uniswap;
    assert.ok(u, 'the deployment names the pair');
    const seed = demoParams().liquidity!;
    const pair = new Contract(u.pair, uniswapPairAbi, provider);
    const [r0, r1] = (await pair.getFunction('getReserves')()) as [bigint, bigint];
    const token0 = ((await pair.getFunction('token0')()) as string).toLowerCase();
    const [tokenReserve, ethReserve] = token0 === deployment.token.toLowerCase() ? [r0, r1] : [r1, r0];
    assert.equal(tokenReserve, seed.seedTokenWei);
    assert.equal(ethReserve, seed.seedEthWei);
    assert.equal(pairAddressFor(u.factory, deployment.token, u.weth, uniswapPairInitCodeHash), u.pair);
    // The deployer holds the LP tokens (minus the 1000 locked forever).
    const lp = (await pair.getFunction('balanceOf')(devnet.accounts[0]!.address)) as bigint;
    assert.equal(lp + 1000n, (await pair.getFunction('totalSupply')()) as bigint);
    // The chain's own WETH holds the ETH side.
    assert.equal(await provider.getBalance(u.weth), seed.seedEthWei);
  });

  it('refuses a router whose embedded hash was tampered with, before deploying anything', async () => {
    const hash = keccak256(uniswapBytecode.pair).slice(2);
    const tampered = { ...uniswapBytecode, router: uniswapBytecode.router.replace(hash, 'ab'.repeat(32)) };
    assert.notEqual(tampered.router, uniswapBytecode.router);
    assert.throws(() => checkInitCodeHash(tampered), /does not embed the pair init code hash/);
    const signer = new NonceManager(new Wallet(devnet.accounts[3]!.privateKey, provider));
    const before = await provider.getTransactionCount(devnet.accounts[3]!.address);
    await assert.rejects(
      deployUniswap(signer, { token: deployment.token, seedTokenWei: 1n, seedEthWei: 1n, code: tampered }),
      UniswapCheckError,
    );
    assert.equal(await provider.getTransactionCount(devnet.accounts[3]!.address), before, 'nothing was sent');
  });

  it('refuses a factory that creates a different pair than the one shipped', () => {
    const other = { ...uniswapBytecode, factory: uniswapBytecode.factory.replace(uniswapBytecode.pair.slice(2, 200), '00'.repeat(99)) };
    assert.throws(() => checkInitCodeHash(other), /does not create the pair bytecode/);
  });

  it('a second factory for the same token gets its own pair, seeded to the wei', async () => {
    const signer = new NonceManager(new Wallet(devnet.accounts[0]!.privateKey, provider));
    const u = await deployUniswap(signer, { token: deployment.token, seedTokenWei: 10n ** 21n, seedEthWei: 10n ** 17n });
    const pair = new Contract(u.pair, uniswapPairAbi, provider);
    assert.notEqual(u.pair, deployment.uniswap!.pair);
    const [r0, r1] = (await pair.getFunction('getReserves')()) as [bigint, bigint];
    assert.deepEqual([r0, r1].sort(), [10n ** 17n, 10n ** 21n].sort());
  });
});
