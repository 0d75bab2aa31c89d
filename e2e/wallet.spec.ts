import { test, expect } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { WalletPage } from './pages/wallet-page.ts';
import { startDaemon } from './support/daemon.ts';

// Hardhat's well-known dev account #5: a checksummed address nobody in this test owns.
const RECIPIENT = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc';
const PASSWORD = 'a long wallet password';

test('wallet: create, fund on the devnet, send tokens, lock/unlock, restart', async ({ hearth, pageErrors, snapshot }) => {
  test.setTimeout(240_000);
  const { page, daemon } = hearth;
  if (!daemon) throw new Error('this spec runs against the daemon');
  const app = new AppShell(page);
  const wallet = new WalletPage(page);
  await app.expectConnected();
  await app.open('wallet');
  await snapshot(page, 'wallet-setup');
  await wallet.expectDevnetRunning();

  await wallet.create(PASSWORD, () => snapshot(page, 'wallet-phrase'));
  const address = (await wallet.address.textContent())!.trim();
  expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);

  await page.getByRole('button', { name: 'Get test funds' }).click();
  await expect(wallet.balance('ETH')).toContainText('10', { timeout: 20_000 });
  await expect(wallet.balance('HRTH')).toContainText('10,000', { timeout: 20_000 });
  await snapshot(page, 'wallet-funded');

  // A bad address is refused with a sentence, nothing sent.
  await page.getByLabel('Recipient address').fill(RECIPIENT.toLowerCase());
  await page.getByLabel('Amount').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(/no checksum/)).toBeVisible();
  await snapshot(page, 'wallet-send-refused');

  await wallet.send('HRTH', RECIPIENT, '250', () => snapshot(page, 'wallet-review'));
  await expect(wallet.activity.locator('li', { hasText: 'Send 250.0 HRTH' })).toContainText('Confirmed', { timeout: 20_000 });
  await expect(wallet.balance('HRTH')).toContainText('9,750');
  await wallet.activity.scrollIntoViewIfNeeded();
  await snapshot(page, 'wallet-sent');

  await wallet.lock();
  // Said once by the app's live region, whichever page is open.
  await expect(page.getByTestId('announcer')).toHaveText('Wallet locked.');
  await wallet.unlock('not the password');
  await expect(page.getByText(/does not unlock this wallet/)).toBeVisible();
  await snapshot(page, 'wallet-locked');
  await wallet.unlock(PASSWORD);
  await expect(page.getByText('Unlocked', { exact: true })).toBeVisible();
  await expect(page.getByTestId('announcer')).toHaveText('Wallet unlocked.');

  // Restart the daemon on the same data: same wallet, locked, same balances and history.
  pageErrors.allow(/WebSocket connection to .* failed/);
  await daemon.stop();
  const restarted = await startDaemon({ dataDir: hearth.dataDir, port: daemon.port });
  try {
    await page.goto(restarted.url);
    await app.expectConnected();
    await app.open('wallet');
    await wallet.expectDevnetRunning();
    await expect(page.getByText('Locked', { exact: true })).toBeVisible();
    await expect(wallet.address).toHaveText(address);
    await expect(wallet.balance('HRTH')).toContainText('9,750', { timeout: 30_000 });
    await expect(wallet.activity.locator('li', { hasText: 'Send 250.0 HRTH' })).toContainText('Confirmed');
    await wallet.unlock(PASSWORD);
    await expect(page.getByText('Unlocked', { exact: true })).toBeVisible();
    await snapshot(page, 'wallet-after-restart');
  } finally {
    await restarted.stop();
  }
});
