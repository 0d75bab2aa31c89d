import { readdir, readFile } from 'node:fs/promises';
import { HeadroomWallet } from '../common/contracts/send.ts';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, NonceManager, id, parseEther, type EventLog } from 'ethers';
import type { Page } from '@playwright/test';
import { devFaucetAbi, feePoolAbi, hearthTokenAbi, jobMarketAbi, lendingVaultAbi, providerStakingAbi } from '../common/contracts/abis.ts';
import { parseDeployment, type Deployment } from '../common/contracts/addresses.ts';
import { devAccounts } from '../core/chain/devnet.ts';
import { test, expect, watchErrors } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { EarnPage } from './pages/earn-page.ts';
import { OnboardingCard } from './pages/onboarding-card.ts';
import { WalletPage } from './pages/wallet-page.ts';
import { connectApi, type Api } from './support/api.ts';
import { makeDataDir, removeDataDir, startDaemon, type DaemonHandle } from './support/daemon.ts';

/**
 * Issue 11, end to end on the daemon's local chain: a new provider (wallet, test funds,
 * registered with its own stake in cpu through the Overview) lends on the Earn page, borrows to
 * stake, joins the fee pool and provides liquidity; a job settles on the market (posted and
 * served by two dev accounts with ethers: the environment, not the user) and its fee raises the
 * pool; the provider repays, takes everything out of the vault and the pool, and removes its
 * liquidity. After every step each figure the page shows is the chain's, read with ethers at the
 * block the page says it read, to the wei (`data-wei`), with the trimmed text and the exact
 * tooltip as the page formats them.
 */

const PASSWORD = 'a long wallet password';
const TOKEN = 10n ** 18n;
// Dev accounts no part of Hearth uses (0 deploys, 3 is the CLI requester, 7 the simulator, 9 the faucet).
const REQUESTER_INDEX = 15;
const OTHER_PROVIDER_INDEX = 16;
const OTHER_CLASS = 'gpu-8gb';

const pairAbi = [
  'function getReserves() view returns (uint112, uint112, uint32)',
  'function token0() view returns (address)',
  'function totalSupply() view returns (uint256)',
  'function balanceOf(address) view returns (uint256)',
];

/** placesFor + formatUnits of renderer/src/pages/earn/format.ts, written out again: trimmed, never rounded. */
function shownAmount(wei: bigint): string {
  const places = wei >= 1000n * TOKEN ? 2 : wei >= TOKEN ? 4 : wei === 0n ? 0 : Math.min(18, 18 - wei.toString().length + 4);
  const whole = (wei / TOKEN).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (wei % TOKEN).toString().padStart(18, '0').slice(0, places).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The tooltip: every decimal, then the wei. */
function exactAmount(wei: bigint, symbol: string): string {
  const fraction = (wei % TOKEN).toString().padStart(18, '0').replace(/0+$/, '');
  return `${wei / TOKEN}${fraction ? `.${fraction}` : ''} ${symbol} (${wei.toLocaleString('en-US')} wei)`;
}

/** The protocol's addresses, as the daemon's devnet wrote them (`<stateDir>/deployment.json`). */
async function findDeployment(dir: string): Promise<Deployment> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'deployment.json') return parseDeployment(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  throw new Error(`no deployment.json under ${dir}`);
}

/** The amounts compared after every step, by the page's test id. */
const COMPARED = ['wallet-token', 'wallet-eth', 'lending-supplied', 'lending-borrowed', 'lending-borrowable', 'pool-value', 'pool-shares', 'staking-total', 'lp-token', 'lp-eth'] as const;
/** Every figure the test compares, read from the chain at one block (plus the pair's LP balance and supply). */
type Figures = Record<(typeof COMPARED)[number] | 'lp-balance' | 'lp-supply', bigint>;

function chainReader(rpc: JsonRpcProvider, d: Deployment, me: string) {
  const token = new Contract(d.token, hearthTokenAbi, rpc);
  const vault = new Contract(d.lending!, lendingVaultAbi, rpc);
  const pool = new Contract(d.feePool!, feePoolAbi, rpc);
  const staking = new Contract(d.staking, providerStakingAbi, rpc);
  const pair = new Contract(d.uniswap!.pair, pairAbi, rpc);
  return {
    token,
    vault,
    pool,
    staking,
    pair,
    async at(blockTag: number): Promise<Figures> {
      const o = { blockTag };
      const [walletToken, walletEth, shares, debt, borrowable, poolShares, lp, supply, reserves, token0, stakes] = await Promise.all([
        token.getFunction('balanceOf')(me, o) as Promise<bigint>,
        rpc.getBalance(me, blockTag),
        vault.getFunction('balanceOf')(me, o) as Promise<bigint>,
        vault.getFunction('debtOf')(me, o) as Promise<bigint>,
        vault.getFunction('maxBorrow')(me, o) as Promise<bigint>,
        pool.getFunction('balanceOf')(me, o) as Promise<bigint>,
        pair.getFunction('balanceOf')(me, o) as Promise<bigint>,
        pair.getFunction('totalSupply')(o) as Promise<bigint>,
        pair.getFunction('getReserves')(o) as Promise<[bigint, bigint, bigint]>,
        pair.getFunction('token0')(o) as Promise<string>,
        Promise.all(d.markets.map((m) => staking.getFunction('classStakes')(me, m.classId, o) as Promise<{ active: bigint; unbonding: bigint }>)),
      ]);
      const [supplied, poolValue] = await Promise.all([
        vault.getFunction('convertToAssets')(shares, o) as Promise<bigint>,
        pool.getFunction('convertToAssets')(poolShares, o) as Promise<bigint>,
      ]);
      const tokenFirst = token0.toLowerCase() === d.token.toLowerCase();
      const reserveToken = tokenFirst ? reserves[0] : reserves[1];
      const reserveEth = tokenFirst ? reserves[1] : reserves[0];
      return {
        'wallet-token': walletToken,
        'wallet-eth': walletEth,
        'lending-supplied': supplied,
        'lending-borrowed': debt,
        'lending-borrowable': borrowable,
        'pool-value': poolValue,
        'pool-shares': poolShares,
        'staking-total': stakes.reduce((sum, s) => sum + BigInt(s.active) + BigInt(s.unbonding), 0n),
        'lp-token': supply === 0n ? 0n : (lp * reserveToken) / supply,
        'lp-eth': supply === 0n ? 0n : (lp * reserveEth) / supply,
        'lp-balance': lp,
        'lp-supply': supply,
      };
    },
  };
}


test('earn: lend, borrow to stake, join the fee pool, provide liquidity, fees accrue, repay and withdraw — every figure equal to the chain', async ({ browser, shell, pageErrors, snapshot }) => {
  test.skip(shell !== 'browser', 'drives the daemon and its chain');
  // Budget: chain and deploy ~20 s, wallet and registration ~20 s, ten actions ~5 s each, a job's 30 s challenge window.
  test.setTimeout(240_000);
  const dataDir = await makeDataDir();
  const daemon: DaemonHandle = await startDaemon({ dataDir, timeoutMs: 60_000 });
  let api: Api | null = null;
  let rpc: JsonRpcProvider | null = null;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    watchErrors(page, pageErrors);
    const app = new AppShell(page);
    const onboarding = new OnboardingCard(page);
    const wallet = new WalletPage(page);
    const earn = new EarnPage(page);
    const shot = (name: string, target: Page = page) => snapshot(target, `earn-${name}`);
    await page.goto(daemon.url);
    await app.expectConnected();
    api = await connectApi(daemon);

    // 1. Wallet and test funds, through the Wallet page.
    await app.open('wallet');
    await wallet.expectDevnetRunning();
    await wallet.create(PASSWORD);
    const me = (await wallet.address.textContent())!.trim();
    await page.getByRole('button', { name: 'Get test funds' }).click();
    await expect(wallet.balance('HRTH')).toContainText('10,000', { timeout: 30_000 });

    // 2. Registered as a provider with its own stake in cpu, through the Overview's onboarding.
    await app.open('overview');
    await onboarding.expectActive('provider', 20_000);
    await expect(onboarding.classOption('cpu')).toBeChecked();
    await expect(onboarding.stake).not.toHaveValue('', { timeout: 20_000 });
    const ownStake = await onboarding.stake.inputValue();
    await onboarding.registerButton().click();
    await onboarding.expectActive('rules', 60_000);
    await onboarding.rules.getByRole('button', { name: 'Done', exact: true }).click();
    await expect(onboarding.root).toHaveCount(0);

    // The chain, read on its own: the addresses file the devnet wrote and an RPC to the node.
    const deployment = await findDeployment(dataDir);
    const chainStatus = await api.call<{ network: { rpcUrls: string[]; chainId: number } }>('chain:status');
    rpc = new JsonRpcProvider(chainStatus.network.rpcUrls[0], chainStatus.network.chainId, { staticNetwork: true, pollingInterval: 500 });
    const chain = chainReader(rpc, deployment, me);

    /** Waits until the page shows, for a view it read at block N, exactly the chain's figures at N. */
    const expectPageEqualsChain = async (step: string, expected: Partial<Record<(typeof COMPARED)[number], (f: Figures) => boolean>> = {}) => {
      let last: { block: number | null; page: Record<string, string | null>; chain: Figures | null } = { block: null, page: {}, chain: null };
      await expect
        .poll(
          async () => {
            const seen = await earn.snapshot(COMPARED);
            if (seen.block === null) return ['no block on the page yet'];
            const figures = await chain.at(seen.block);
            last = { block: seen.block, page: seen.wei, chain: figures };
            const wrong: string[] = [];
            for (const key of COMPARED) {
              const shown = seen.wei[key];
              // A card without a position (no LP tokens yet) still shows its zeros.
              if (shown === null || shown === undefined || BigInt(shown) !== figures[key]) wrong.push(`${key}: page ${shown ?? 'absent'}, chain ${figures[key]}`);
            }
            for (const key of COMPARED) if (expected[key] && !expected[key](figures)) wrong.push(`${key}: the chain is not as this step expects (${figures[key]})`);
            return wrong;
          },
          { timeout: 30_000, intervals: [250, 500, 1000], message: `${step}: the page's figures against the chain` },
        )
        .toEqual([]);
      // The text as the page formats it, and every decimal in the tooltip, for the figures the step is about.
      for (const key of ['lending-supplied', 'lending-borrowed', 'pool-value', 'lp-token', 'staking-total'] as const) {
        const wei = BigInt(last.page[key]!);
        const symbol = 'HRTH';
        const amount = earn.amount(key);
        if ((await amount.getAttribute('data-wei')) !== wei.toString()) continue; // refreshed meanwhile: the poll above has checked it
        await expect(amount).toHaveText(`${shownAmount(wei)} ${symbol}`);
        await expect(amount).toHaveAttribute('title', exactAmount(wei, symbol));
      }
      return last.chain!;
    };

    // 3. The Earn page before anything: the provider's own stake, nothing lent, pooled or provided.
    await app.open('earn');
    await expect(earn.summary).toBeVisible({ timeout: 30_000 });
    await expect(earn.lending).toBeVisible();
    await expect(earn.staking.getByTestId('staking-unregistered')).toHaveCount(0);
    const start = await expectPageEqualsChain('start', {
      'staking-total': (f) => f['staking-total'] === parseEther(ownStake),
      'lending-supplied': (f) => f['lending-supplied'] === 0n,
      'lending-borrowed': (f) => f['lending-borrowed'] === 0n,
    });
    await expect(earn.classActive('cpu')).toHaveAttribute('data-wei', start['staking-total'].toString());
    await shot('1-start');

    // 4. Lend 2,000 HRTH: the preview says what changes, then confirm.
    await earn.act(earn.lending, 'Lend', '2000', {
      onPreview: async (preview) => {
        await expect(preview.locator('tr', { has: page.locator('th', { hasText: /^Lent$/ }) })).toContainText('2,000');
        await expect(preview.locator('tr', { has: page.locator('th', { hasText: /^Wallet HRTH$/ }) })).toBeVisible();
        await expect(preview.locator('ol li')).toHaveCount(2); // approve, deposit
        await expect(preview.locator('ol li').first()).toContainText(/Allow the lending vault to take 2,?000 HRTH/);
        await shot('2-lend-preview');
      },
    });
    await earn.closeDialog();
    const lent = await expectPageEqualsChain('lend', { 'lending-supplied': (f) => f['lending-supplied'] > 1999n * TOKEN && f['lending-supplied'] <= 2000n * TOKEN });
    await earn.lending.scrollIntoViewIfNeeded();
    await shot('3-lent');

    // 5. Borrow 50 HRTH to stake in cpu: the stake grows by it, the debt and the health factor are the chain's.
    await earn.act(earn.lending, 'Borrow to stake', '50', {
      onPreview: async (preview) => {
        await expect(preview.locator('tr', { has: page.locator('th', { hasText: /^Borrowed$/ }) })).toContainText('50');
        await expect(preview.getByTestId('preview-risks')).toContainText('liquidated');
        await shot('4-borrow-preview');
      },
      beforePreview: async () => expect(earn.dialog.getByLabel('Device class')).toHaveValue('cpu'),
    });
    await earn.closeDialog();
    const borrowed = await expectPageEqualsChain('borrow to stake', {
      'staking-total': (f) => f['staking-total'] === lent['staking-total'] + 50n * TOKEN,
      'lending-borrowed': (f) => f['lending-borrowed'] >= 50n * TOKEN,
    });
    await expect(earn.classActive('cpu')).toHaveAttribute('data-wei', borrowed['staking-total'].toString());
    // The health factor, as the page words it, from the vault's own figure.
    await expect
      .poll(async () => {
        const seen = await earn.snapshot([]);
        const health = (await chain.vault.getFunction('healthFactor')(me, { blockTag: seen.block! })) as bigint;
        const shown = await earn.lending.getByTestId('health').locator('.gauge__text').textContent();
        return { ok: (shown ?? '').includes((Number(health) / 1e18).toFixed(2)), shown, chain: (Number(health) / 1e18).toFixed(2) };
      }, { timeout: 15_000, message: 'the health factor on the page against the vault' })
      .toMatchObject({ ok: true });
    await expect(earn.lending.getByTestId('health')).toHaveAttribute('data-level', 'safe');
    await earn.lending.scrollIntoViewIfNeeded();
    await shot('5-borrowed');

    // 6. Join the fee pool with 1,000 HRTH.
    await earn.act(earn.feePool, 'Join the fee pool', '1000');
    await earn.closeDialog();
    const pooled = await expectPageEqualsChain('pool deposit', { 'pool-value': (f) => f['pool-value'] > 999n * TOKEN && f['pool-value'] <= 1000n * TOKEN });

    // 7. Add liquidity: 1,000 HRTH and the ETH to match at the pair's price.
    await earn.act(earn.liquidity, 'Add liquidity', '1000', {
      onPreview: async (preview) => {
        // The floor, from core, with the slippage chosen (0.5 %, the default) named once.
        await expect(preview.getByTestId('preview-minimum')).toHaveText(/^The deposit goes through only if it takes at least 995 HRTH and 0\.0995 ETH \(slippage 0\.5 %\)\. Below this the transaction is cancelled\.$/);
        await shot('6-liquidity-preview');
      },
    });
    await earn.closeDialog();
    const provided = await expectPageEqualsChain('add liquidity', { 'lp-token': (f) => f['lp-token'] > 999n * TOKEN && f['lp-token'] <= 1000n * TOKEN });
    // The share, as the page writes it (3 decimals of a percent), from the pair's LP supply.
    const sharePercent = ((Number((provided['lp-balance'] * 10n ** 12n) / provided['lp-supply']) / 1e12) * 100).toFixed(3);
    await expect(earn.liquidity.getByTestId('lp-share')).toHaveText(`${sharePercent} %`);
    await earn.feePool.scrollIntoViewIfNeeded();
    await shot('7-pool-and-liquidity');

    // 8. A job settles on the gpu-8gb market (two dev accounts: a requester and another provider)
    //    and its protocol fee lands in the pool: the page's pool value grows to the chain's.
    const accounts = devAccounts();
    const requester = new NonceManager(new HeadroomWallet(accounts[REQUESTER_INDEX]!.privateKey, rpc));
    const provider = new NonceManager(new HeadroomWallet(accounts[OTHER_PROVIDER_INDEX]!.privateKey, rpc));
    const market = deployment.markets.find((m) => m.classLabel === OTHER_CLASS)!;
    const faucet = new Contract(deployment.faucet!, devFaucetAbi, requester);
    await (await faucet.getFunction('drip')(await requester.getAddress())).wait();
    await (await faucet.getFunction('drip')(await provider.getAddress())).wait();
    const classId = id(OTHER_CLASS);
    expect(classId).toBe(market.classId);
    const asProvider = new Contract(deployment.staking, providerStakingAbi, provider);
    await (await (chain.token.connect(provider) as Contract).getFunction('approve')(deployment.staking, 500n * TOKEN)).wait();
    await (await asProvider.getFunction('register')([classId], 'http://127.0.0.1:1/other-provider')).wait();
    await (await asProvider.getFunction('stake')(classId, 500n * TOKEN)).wait();
    const asRequester = new Contract(market.address, jobMarketAbi, requester);
    const units = 2_000n;
    const maxPrice = TOKEN / 50n;
    await (await (chain.token.connect(requester) as Contract).getFunction('approve')(market.address, units * maxPrice)).wait();
    const head = await rpc.getBlock('latest');
    const deadline = BigInt(head!.timestamp) + 300n;
    const posted = await (await asRequester.getFunction('post')(id('model'), id('input'), 'ipfs://e2e-earn', units, maxPrice, deadline)).wait();
    const postedEvent = posted.logs.map((log: EventLog) => asRequester.interface.parseLog(log)).find((e: { name: string } | null) => e?.name === 'JobPosted')!;
    const jobId = postedEvent.args.getValue('jobId') as bigint;
    const terms = { requester: await requester.getAddress(), units, maxPricePerUnit: maxPrice, deadline };
    const asOther = new Contract(market.address, jobMarketAbi, provider);
    await (await asOther.getFunction('claim')(jobId, terms, 0n)).wait();
    const resultHash = id('result');
    const committed = await (await asOther.getFunction('commit')(jobId, terms, resultHash)).wait();
    const windowEnd = asOther.interface.parseLog(committed.logs.find((l: EventLog) => asOther.interface.parseLog(l)?.name === 'JobCommitted'))!.args.getValue('windowEnd') as bigint;
    // The challenge window (30 s on the devnet) passes in real time. The node mines only on
    // transactions, so a plain transfer marks the time before the settle is sent.
    const requesterAddress = await requester.getAddress();
    await expect
      .poll(
        async () => {
          await (await requester.sendTransaction({ to: requesterAddress, value: 0n })).wait();
          const b = (await rpc!.send('eth_getBlockByNumber', ['latest', false])) as { timestamp: string };
          return Number(windowEnd - BigInt(b.timestamp));
        },
        { timeout: 60_000, intervals: [2000], message: `the challenge window, open until ${windowEnd}` },
      )
      .toBeLessThanOrEqual(0);
    const settled = await (await asOther.getFunction('settle')(jobId, terms, resultHash)).wait();
    const settledEvent = settled.logs.map((l: EventLog) => asOther.interface.parseLog(l)).find((e: { name: string } | null) => e?.name === 'JobSettled')!;
    const fee = settledEvent.args.getValue('fee') as bigint;
    expect(fee).toBeGreaterThan(0n);
    const grown = await expectPageEqualsChain('fees accrued', { 'pool-value': (f) => f['pool-value'] > pooled['pool-value'] });
    // Nearly all of the fee is ours (we are the pool's only depositor; virtual shares keep a sliver).
    expect(grown['pool-value'] - pooled['pool-value']).toBeGreaterThan((fee * 99n) / 100n);
    await expect(earn.amount('pool-fees')).toHaveAttribute('data-wei', fee.toString(), { timeout: 15_000 });
    await earn.feePool.scrollIntoViewIfNeeded();
    await shot('8-fees-accrued');

    // 9. Repay all: the debt is 0 on the page and on the chain; the stake stays.
    await earn.act(earn.lending, 'Repay', 'all');
    await earn.closeDialog();
    await expectPageEqualsChain('repay', { 'lending-borrowed': (f) => f['lending-borrowed'] === 0n });
    await expect(earn.lending.getByTestId('health')).toHaveAttribute('data-level', 'none');

    // 10. Everything out of the vault, the pool and the pair: the wallet has it back.
    await earn.act(earn.lending, 'Take out of lending', 'all');
    await earn.closeDialog();
    await earn.act(earn.feePool, 'Leave the fee pool', 'all');
    await earn.closeDialog();
    await earn.act(earn.liquidity, 'Remove liquidity', null, {
      beforePreview: async () => earn.dialog.getByLabel('Share of your liquidity to take out (%)').fill('100'),
    });
    await earn.closeDialog();
    const end = await expectPageEqualsChain('withdrawn', {
      'lending-supplied': (f) => f['lending-supplied'] === 0n,
      'pool-shares': (f) => f['pool-shares'] === 0n,
      'pool-value': (f) => f['pool-value'] === 0n,
      'lp-token': (f) => f['lp-token'] === 0n,
    });
    // The wallet holds at least what it started the Earn page with, less the interest paid and plus the fees.
    expect(end['wallet-token']).toBeGreaterThan(start['wallet-token'] - 50n * TOKEN - TOKEN);
    await earn.summary.scrollIntoViewIfNeeded();
    await shot('9-withdrawn');
  } catch (error) {
    test.info().attachments.push({ name: 'daemon.log', contentType: 'text/plain', body: Buffer.from(daemon.log()) });
    throw error;
  } finally {
    api?.close();
    rpc?.destroy();
    await context.close();
    await daemon.stop();
    await removeDataDir(dataDir);
  }
});
