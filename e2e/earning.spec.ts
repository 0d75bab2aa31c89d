import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Contract, JsonRpcProvider, type EventLog } from 'ethers';
import type { Page } from '@playwright/test';
import { jobMarketAbi } from '../common/contracts/abis.ts';
import { test, expect, watchErrors } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { JobsPage } from './pages/jobs-page.ts';
import { OnboardingCard } from './pages/onboarding-card.ts';
import { OverviewPage } from './pages/overview-page.ts';
import { WalletPage } from './pages/wallet-page.ts';
import { connectApi, type Api } from './support/api.ts';
import { recordAnnouncements } from './support/a11y.ts';
import { freePort, makeDataDir, removeDataDir, repoRoot, startDaemon, type DaemonHandle } from './support/daemon.ts';

/**
 * A new user's first payment, end to end: `hearth daemon` with its local chain and demand
 * simulator; onboarding through the UI (wallet with the recovery phrase, test funds, register and
 * stake in cpu after the preview, devices and idle rules); the user steps away (scripted through
 * HEARTH_TEST_HOOKS: the environment, not the user's actions); the simulator's job is claimed,
 * run on the CPU, committed and paid after the 30 s challenge window. The amount the UI shows is
 * the chain's JobSettled providerAmount to the wei, before and after a restart of the daemon.
 */

const PASSWORD = 'a long wallet password';
const exec = promisify(execFile);

interface JobView {
  key: string;
  jobId: string;
  market: string;
  state: string;
  earnedWei: string | null;
  deviceId: string | null;
}
interface MarketStatusView {
  state: string;
  jobsPaid: number;
  earnedWei: string;
  reconciliation: { ok: boolean; at: number | null; chainWei: string; ledgerWei: string };
}

/** "12.5 HRTH" as the renderer shows it: grouped whole part, at most 4 decimals, trimmed (never rounded). */
function shownToken(wei: bigint, maxFraction = 4): string {
  const whole = (wei / 10n ** 18n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (wei % 10n ** 18n).toString().padStart(18, '0').slice(0, maxFraction).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Every decimal, as the tooltip shows it. */
function exactToken(wei: bigint): string {
  const fraction = (wei % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  return `${wei / 10n ** 18n}${fraction ? `.${fraction}` : ''} HRTH`;
}

function startEarningDaemon(dataDir: string, port: number): Promise<DaemonHandle> {
  return startDaemon({ dataDir, port, simulator: true, env: { HEARTH_TEST_HOOKS: '1' }, timeoutMs: 60_000 });
}

/** `hearth status --json` from the CLI, as a user on the same machine would run it. */
async function cliStatus(dataDir: string): Promise<{ running: boolean; earning: { jobsPaid: number; earnedWei: string } }> {
  const { stdout } = await exec(process.execPath, [join(repoRoot, 'bin', 'hearth.mjs'), 'status', '--json', '--data-dir', dataDir], { cwd: repoRoot, timeout: 30_000 });
  return JSON.parse(stdout) as { running: boolean; earning: { jobsPaid: number; earnedWei: string } };
}

/** The paid jobs in the ledger and their sum (only `api` reads: the ledger is what the UI and CLI must agree with). */
async function ledgerPaid(api: Api): Promise<{ jobs: JobView[]; sum: bigint }> {
  const { jobs } = await api.call<{ jobs: JobView[]; total: number }>('market:jobs', { filter: 'paid', limit: 500 });
  return { jobs, sum: jobs.reduce((total, job) => total + BigInt(job.earnedWei ?? '0'), 0n) };
}

test('earning: onboarding in the browser to the first payment, equal to the chain to the wei, before and after a restart', async ({ browser, shell, pageErrors, snapshot }) => {
  test.skip(shell !== 'browser', 'drives the daemon, its chain and its simulator');
  // Budget: chain and deploy ~20 s, onboarding ~20 s, the first job 30–60 s + run + 30 s window, restart ~30 s.
  test.setTimeout(330_000);
  const dataDir = await makeDataDir();
  const port = await freePort();
  let daemon = await startEarningDaemon(dataDir, port);
  let api: Api | null = null;
  let rpc: JsonRpcProvider | null = null;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    watchErrors(page, pageErrors);
    const app = new AppShell(page);
    const overview = new OverviewPage(page);
    const onboarding = new OnboardingCard(page);
    const wallet = new WalletPage(page);
    const jobs = new JobsPage(page);
    const shot = (name: string, target: Page = page) => snapshot(target, `earning-${name}`);
    await page.goto(daemon.url);
    await app.expectConnected();
    api = await connectApi(daemon);
    const heard = await recordAnnouncements(page);

    // 1. First run: the card opens on the wallet step.
    await onboarding.expectActive('wallet', 30_000);
    await expect(onboarding.root).toContainText('0 of 3 done');
    await shot('1-first-run');

    // 2. The wallet: created on the Wallet page with the phrase confirmation, then test funds.
    await onboarding.step('wallet').getByRole('link', { name: 'Create or import a wallet' }).click();
    await app.expectOn('wallet');
    await wallet.expectDevnetRunning();
    await wallet.create(PASSWORD, () => shot('2-wallet-phrase'));
    const address = (await wallet.address.textContent())!.trim();
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await page.getByRole('button', { name: 'Get test funds' }).click();
    await expect(wallet.balance('HRTH')).toContainText('10,000', { timeout: 30_000 });
    await expect(wallet.balance('ETH')).toContainText('10', { timeout: 30_000 });
    await shot('3-wallet-funded');

    // 3. Register and stake in cpu with the suggested amount, after reading the preview.
    await app.open('overview');
    await onboarding.expectActive('provider', 20_000);
    await onboarding.expectDone('wallet');
    const cpu = onboarding.classOption('cpu');
    await expect(cpu).toBeChecked();
    await expect(onboarding.classCard('cpu')).toContainText('suggested for your best device');
    await expect(onboarding.stake).not.toHaveValue('', { timeout: 20_000 });
    const stake = await onboarding.stake.inputValue();
    expect(stake).toMatch(/^\d+(\.\d+)?$/);
    await expect(onboarding.preview).toBeVisible();
    await expect(onboarding.preview).toContainText('10,000 HRTH');
    await expect(onboarding.preview.locator('dt', { hasText: 'Estimated fees' })).toBeVisible();
    await expect(onboarding.preview.locator('dt', { hasText: 'Estimated fees' }).locator('xpath=following-sibling::dd')).toHaveText(/^\d[\d.,]* ETH \(at most \d[\d.,]* ETH\)$/);
    await expect(onboarding.preview.locator('ol li')).toHaveCount(3);
    await expect(onboarding.preview.getByRole('alert')).toHaveCount(0);
    await onboarding.preview.scrollIntoViewIfNeeded();
    await shot('4-register-preview');
    const register = onboarding.registerButton();
    await expect(register).toHaveText(`Register and stake ${stake} HRTH`);
    await expect(register).toBeEnabled();
    await register.click();
    await onboarding.expectActive('rules', 60_000);
    await onboarding.expectDone('provider');

    // 4. Devices and idle rules: the CPU earns (the default), the idle threshold stays at 5 min.
    const cpuSwitch = onboarding.rules.locator('#onboarding-device-cpu');
    await expect(cpuSwitch).toHaveAttribute('aria-checked', 'true', { timeout: 20_000 });
    await expect(page.locator('#onboarding-idle')).toHaveValue('5');
    await expect(onboarding.rules.getByRole('switch', { name: 'Run when activity is unknown' })).toHaveAttribute('aria-checked', 'false');
    await onboarding.rules.scrollIntoViewIfNeeded();
    await shot('5-rules');
    await onboarding.rules.getByRole('button', { name: 'Done', exact: true }).click();
    await expect(onboarding.root).toHaveCount(0);
    await expect(page.getByTestId('onboarding-resume')).toHaveCount(0);
    await expect(overview.hero).toHaveAttribute('data-state', 'waiting', { timeout: 30_000 });
    await expect(overview.hero).toContainText('Waiting for you to step away');
    await shot('6-waiting-for-idle');

    // 5. The user steps away (the environment, scripted): the simulator's next cpu job is taken.
    await api.call('scheduler:test-drive', { steps: [{ kind: 'idle', seconds: 3600 }] });
    await expect(overview.hero).not.toContainText('Waiting for you to step away', { timeout: 20_000 });
    await shot('7-away');
    await app.open('jobs');
    // The result is committed and waits out the challenge window (30 s): long enough to see it.
    const committed = jobs.rowsIn('Awaiting payment').or(jobs.rowsIn('Settling')).or(jobs.rowsIn('Paid')).first();
    await expect(committed).toBeVisible({ timeout: 150_000 });
    await shot('8-jobs-committed');
    const paidRow = jobs.rowsIn('Paid').first();
    await expect(paidRow).toBeVisible({ timeout: 90_000 });
    const key = (await paidRow.getAttribute('data-key'))!;
    expect(key).toMatch(/^\d+:0x[0-9a-f]{40}:\d+$/);
    // The user is back: no new claims, so the ledger settles to fixed figures for the comparisons.
    await api.call('scheduler:test-drive', { steps: [{ kind: 'input' }] });
    await shot('9-jobs-paid');
    // A screen reader heard the paid job start and the payment arrive, and little else.
    await expect.poll(heard, { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^Earning: running a paid job, /), expect.stringMatching(/^Payment received: [\d.,]+ HRTH for /)]));
    expect((await heard()).length, `announced: ${(await heard()).join(' | ')}`).toBeLessThanOrEqual(12);

    // Its story: claimed, ran on the CPU, delivered, committed, paid.
    await jobs.open(key);
    const timeline = jobs.timeline;
    for (const step of ['Claimed on chain', 'Ran', 'Delivered the result', 'Committed on chain', 'Paid']) {
      await expect(timeline.locator('.job-timeline__title', { hasText: new RegExp(`^${step}\\b`) }).first()).toBeVisible();
    }
    await expect(jobs.fact('Ran on')).toHaveText(/^cpu with CPU in /);
    // Our claim and commit (the settle may be the requester's: anyone can settle after the window).
    await expect(jobs.detail.getByTestId('job-txs').locator('tbody th')).toContainText([/^claim/, /^commit/]);
    await timeline.locator('li').last().scrollIntoViewIfNeeded();
    await shot('10-job-detail');

    // 6. The chain's word: JobSettled for this job, read straight from the devnet.
    const job = await api.call<JobView & { events: { state: string }[] }>('market:job', { key });
    expect(job.state).toBe('paid');
    expect(job.deviceId).toBe('cpu');
    const chain = await api.call<{ network: { rpcUrls: string[]; chainId: number } }>('chain:status');
    rpc = new JsonRpcProvider(chain.network.rpcUrls[0], chain.network.chainId, { staticNetwork: true });
    const market = new Contract(job.market, jobMarketAbi, rpc);
    const settled = (await market.queryFilter(market.filters['JobSettled']!(BigInt(job.jobId)), 0)) as EventLog[];
    expect(settled).toHaveLength(1);
    const providerAmount = settled[0]!.args.getValue('providerAmount') as bigint;
    expect(providerAmount).toBeGreaterThan(0n);
    expect((settled[0]!.args.getValue('provider') as string).toLowerCase()).toBe(address.toLowerCase());
    // market:job and the UI (trimmed figure, the exact amount on hover) all say the same, to the wei.
    expect(job.earnedWei).toBe(providerAmount.toString());
    const earned = jobs.detail.getByTestId('job-earned');
    await expect(earned).toHaveText(`${shownToken(providerAmount)} HRTH`);
    await expect(earned).toHaveAttribute('data-wei', providerAmount.toString());
    await expect(earned).toHaveAttribute('title', exactToken(providerAmount));
    await expect(jobs.row(key).getByTestId('job-row-earned')).toHaveAttribute('data-wei', providerAmount.toString());
    await expect(jobs.row(key).getByTestId('job-row-earned')).toHaveText(shownToken(providerAmount));

    // The totals: the Overview, the ledger and `hearth status --json` agree (once nothing is left in flight).
    // ("Seen" jobs stay listed as active: the user is back, so they are not taken.)
    const inFlight = ['claiming', 'claimed', 'fetching', 'running', 'delivering', 'committing', 'committed', 'settling'];
    await expect
      .poll(async () => (await api!.call<{ jobs: JobView[] }>('market:jobs', { filter: 'active' })).jobs.filter((j) => inFlight.includes(j.state)).map((j) => `#${j.jobId} ${j.state}`), {
        timeout: 90_000,
        message: 'jobs still in flight',
      })
      .toEqual([]);
    const ledger = await ledgerPaid(api);
    const status = await api.call<MarketStatusView>('market:status');
    expect(status.jobsPaid).toBe(ledger.jobs.length);
    expect(status.earnedWei).toBe(ledger.sum.toString());
    expect(ledger.jobs.map((j) => j.key)).toContain(key);
    const cli = await cliStatus(dataDir);
    expect(cli.running).toBe(true);
    expect(cli.earning).toMatchObject({ jobsPaid: ledger.jobs.length, earnedWei: ledger.sum.toString() });
    await app.open('overview');
    await expect(overview.earnedTotal).toHaveAttribute('data-wei', ledger.sum.toString());
    await expect(overview.earnedTotal).toHaveText(`${shownToken(ledger.sum)} HRTH`);
    await expect(overview.jobsPaid).toHaveText(String(ledger.jobs.length));
    await expect(overview.reconciliationWarning).toHaveCount(0);
    await overview.earnings.scrollIntoViewIfNeeded();
    await shot('11-overview-earned');

    // 7. Restart the daemon on the same data and port: same job, same amount, no mismatch.
    api.close();
    api = null;
    pageErrors.allow(/WebSocket connection to .* failed/);
    await daemon.stop();
    daemon = await startEarningDaemon(dataDir, port);
    await page.goto(daemon.url);
    await app.expectConnected();
    await app.open('wallet');
    await expect(page.getByText('Locked', { exact: true })).toBeVisible({ timeout: 30_000 });
    await wallet.unlock(PASSWORD);
    await expect(page.getByText('Unlocked', { exact: true })).toBeVisible();
    await app.open('jobs');
    await expect(jobs.row(key)).toBeVisible({ timeout: 30_000 });
    await expect(jobs.row(key).locator('.status-pill')).toHaveText('Paid');
    await expect(jobs.row(key).getByTestId('job-row-earned')).toHaveAttribute('data-wei', providerAmount.toString());
    await jobs.open(key);
    await expect(jobs.detail.getByTestId('job-earned')).toHaveAttribute('data-wei', providerAmount.toString());
    await expect(jobs.detail.getByTestId('job-earned')).toHaveText(`${shownToken(providerAmount)} HRTH`);
    await shot('12-after-restart-job');
    api = await connectApi(daemon);
    const again = await api.call<JobView>('market:job', { key });
    expect(again.earnedWei).toBe(providerAmount.toString());
    await app.open('overview');
    await expect(overview.earnedTotal).toHaveAttribute('data-wei', ledger.sum.toString(), { timeout: 30_000 });
    await expect(overview.reconciliationOk).toContainText('Payments match the chain', { timeout: 60_000 });
    await expect(overview.reconciliationWarning).toHaveCount(0);
    await overview.earnings.scrollIntoViewIfNeeded();
    await shot('13-after-restart-overview');
  } catch (error) {
    // The daemon's log says what the market and the simulator were doing.
    attachLog(daemon);
    throw error;
  } finally {
    api?.close();
    rpc?.destroy();
    await context.close();
    await daemon.stop();
    await removeDataDir(dataDir);
  }
});

function attachLog(daemon: DaemonHandle): void {
  test.info().attachments.push({ name: 'daemon.log', contentType: 'text/plain', body: Buffer.from(daemon.log()) });
}
