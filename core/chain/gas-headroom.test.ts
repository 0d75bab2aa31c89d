// Why contract calls get headroom over their gas estimate (`withGasHeadroom`): an estimate made
// in one second can be short for the block that mines the call a second later. A Uniswap
// pair's first swap in a new second writes its two price accumulators (fresh storage slots);
// estimated in the seeding second, that write is not in the estimate.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Contract, JsonRpcProvider, NonceManager, Wallet, parseEther, toBeHex } from 'ethers';
import { uniswapRouterAbi } from '../../common/contracts/uniswap.ts';
import { withGasHeadroom } from '../../common/contracts/send.ts';
import { startProtocolDevnet } from './devnet.ts';

let devnet: Awaited<ReturnType<typeof startProtocolDevnet>>;
let provider: JsonRpcProvider;
before(async () => {
  devnet = await startProtocolDevnet({ blockTimeSeconds: 0 });
  provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
});
after(async () => {
  provider.destroy();
  await devnet.stop();
});

test('a swap estimated in the seeding second runs out of gas a second later; with headroom it goes through', { timeout: 60_000 }, async () => {
  const uni = devnet.deployment.uniswap!;
  const trader = new NonceManager(new Wallet(devnet.accounts[5]!.privateKey, provider));
  const me = await trader.getAddress();
  const router = new Contract(uni.router, uniswapRouterAbi, trader);
  const latest = (await provider.getBlock('latest'))!;
  const data = router.interface.encodeFunctionData('swapExactETHForTokens', [0n, [uni.weth, devnet.deployment.token], me, BigInt(latest.timestamp) + 3600n]);
  const call = { from: me, to: uni.router, data, value: toBeHex(parseEther('0.01')) };
  // Estimated against the latest block: the seeding block's second, so no accumulator write.
  const estimate = BigInt(await provider.send('eth_estimateGas', [call, 'latest']));

  const sendWith = async (gasLimit: bigint) => {
    await provider.send('evm_setNextBlockTimestamp', [latest.timestamp + 10]);
    const tx = await trader.sendTransaction({ to: uni.router, data, value: parseEther('0.01'), gasLimit });
    return provider.waitForTransaction(tx.hash);
  };
  const bare = await sendWith(estimate).catch(() => null);
  assert.equal(bare?.status ?? 0, 0, 'the bare estimate is too little once time has moved');
  const padded = await sendWith(withGasHeadroom(estimate));
  assert.equal(padded?.status, 1);
  assert.ok(padded.gasUsed > estimate, `used ${padded.gasUsed} > estimated ${estimate}`);
});
