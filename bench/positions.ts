// Gas of the Earn page's liquidity actions through the positions service, on Anvil with the
// demo protocol and its Uniswap V2 pair (the audited build). Prints `figure` lines; run from
// the repo root:  node --import tsx bench/positions.ts
import { startHarness } from '../core/positions/testing.ts';

const h = await startHarness();
try {
  const gasOf = async (hash: string) => (await h.provider.getTransactionReceipt(hash))!.gasUsed;
  const { service } = h;
  // The first deposit into a pair costs more (fresh storage); measure a second one, as most are.
  await service.act({ kind: 'add-liquidity', amount: '1000', slippageBps: 50 });
  const add = await service.act({ kind: 'add-liquidity', amount: '1000', slippageBps: 50 });
  console.log(`figure gas.positions.add-liquidity ${await gasOf(add.txHashes.at(-1)!)} gas`);
  await service.act({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 50 });
  const sell = await service.act({ kind: 'swap', direction: 'token-to-eth', amount: '100', slippageBps: 50 });
  console.log(`figure gas.positions.swap-token-to-eth ${await gasOf(sell.txHashes.at(-1)!)} gas`);
  const buy = await service.act({ kind: 'swap', direction: 'eth-to-token', amount: '0.01', slippageBps: 50 });
  console.log(`figure gas.positions.swap-eth-to-token ${await gasOf(buy.txHashes.at(-1)!)} gas`);
  const remove = await service.act({ kind: 'remove-liquidity', percent: 50, slippageBps: 50 });
  console.log(`figure gas.positions.remove-liquidity ${await gasOf(remove.txHashes.at(-1)!)} gas`);
  const started = performance.now();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) await service.get();
  console.log(`figure positions.read-view ${((performance.now() - started) / rounds).toFixed(1)} ms`);
} finally {
  await h.stop();
}
