import { test, expect } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { WalletPage } from './pages/wallet-page.ts';
import { expectAccessible } from './support/a11y.ts';
import { connectApi } from './support/api.ts';
import { expectFocusKept, expectFocusVisible, tabTo } from './support/keyboard.ts';

/**
 * Keyboard only, from a fresh daemon: set up the wallet, lock and unlock it, then pause and
 * resume earning. No click(), no focus() on a target, no navigation but the first load:
 * every control is reached with Tab in a bounded number of presses, shows its focus ring,
 * and each state the walk reaches passes axe.
 */
const PASSWORD = 'a long wallet password';

test('keyboard only: wallet set-up, lock and unlock, pause and resume earning', async ({ hearth, shell }) => {
  // About 30 s on two idle cores, half of it axe at eight states; room for a loaded machine.
  test.setTimeout(150_000);
  test.skip(shell !== 'browser', 'drives the daemon');
  const { page, daemon } = hearth;
  const app = new AppShell(page);
  const wallet = new WalletPage(page);
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  await app.expectConnected();

  // The sidebar comes first in the tab order.
  await tabTo(page, app.link('wallet'), 6);
  await page.keyboard.press('Enter');
  await app.expectOn('wallet');
  await expect(page.getByLabel('Wallet password')).toBeVisible();
  await expectAccessible(page, 'wallet: set up (password)');

  // Create new / Import are ARIA tabs: one tab stop, arrow keys switch.
  const createTab = page.getByRole('tab', { name: 'Create new' });
  await tabTo(page, createTab, 4);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Import' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Import' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('What do you have?');
  await expectFocusVisible(page);
  await expectAccessible(page, 'wallet: set up (import)');
  await page.keyboard.press('ArrowLeft');
  await expect(createTab).toBeFocused();
  await expect(createTab).toHaveAttribute('aria-selected', 'true');

  // Step 1: password, twice.
  await tabTo(page, page.getByLabel('Wallet password'), 1);
  await page.keyboard.type(PASSWORD);
  await tabTo(page, page.getByLabel('Repeat password'), 2);
  await page.keyboard.type(PASSWORD);
  await tabTo(page, button('Create wallet'), 2);
  await page.keyboard.press('Enter');

  // Step 2: the phrase, shown once.
  await expect(page.locator('.mnemonic-grid__word')).toHaveCount(12, { timeout: 30_000 });
  await expectFocusKept(page, 'Create wallet');
  const words = (await page.locator('.mnemonic-grid__word').allTextContents()).map((w) => w.trim());
  await expectAccessible(page, 'wallet: recovery phrase');
  await tabTo(page, button('I wrote them down'), 4);
  await page.keyboard.press('Space');

  // Step 3: type back the words asked for.
  const asked = page.getByLabel(/^Word \d+$/);
  // Focus moves to the first word asked for, ready to type.
  await expect(asked.first()).toBeFocused();
  await expectAccessible(page, 'wallet: confirm phrase');
  for (const input of await asked.all()) {
    const label = await input.evaluate((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '');
    await tabTo(page, input, 4);
    await page.keyboard.type(words[Number(/Word (\d+)/.exec(label)?.[1]) - 1]!);
  }
  await tabTo(page, button('Confirm and save wallet'), 3);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Unlocked', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(wallet.address).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  await expectFocusKept(page, 'Confirm and save wallet');
  await expectAccessible(page, 'wallet: unlocked');

  // Lock, then unlock with the password.
  await tabTo(page, button('Lock'), 6);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Locked', { exact: true })).toBeVisible();
  // Focus moves to the password field that undoes it.
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await expectAccessible(page, 'wallet: locked');
  await tabTo(page, page.getByLabel('Password', { exact: true }), 6);
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Unlocked', { exact: true })).toBeVisible();
  await expect(button('Lock'), 'focus moves back to Lock').toBeFocused();

  // Back up to the sidebar, to the Overview.
  await tabTo(page, app.link('overview'), 30, { backward: true });
  await page.keyboard.press('Enter');
  await app.expectOn('overview');

  const api = await connectApi(daemon!);
  try {
    const pauseKind = async () => (await api.call<{ pause: { kind: string } }>('scheduler:status')).pause.kind;
    const card = page.getByTestId('earning-card');
    await expect(card).not.toHaveAttribute('data-state', 'paused');
    expect(await pauseKind()).toBe('none');

    await tabTo(page, card.getByRole('button', { name: 'Pause until I resume' }), 25);
    await page.keyboard.press('Enter');
    await expect(card).toHaveAttribute('data-state', 'paused');
    await expect(page.getByTestId('earning-reason')).toHaveText('Paused — until you resume');
    expect(await pauseKind()).toBe('indefinite');
    // The pause buttons are gone: focus is on Resume now, which replaced them.
    await expect(card.getByRole('button', { name: 'Resume now' })).toBeFocused();
    await expectAccessible(page, 'overview: paused');

    await expectFocusVisible(page);
    await page.keyboard.press('Space');
    await expect(card).not.toHaveAttribute('data-state', 'paused');
    await expect(page.getByTestId('earning-reason')).toHaveText(/^Waiting/);
    expect(await pauseKind()).toBe('none');
    await expect(card.getByRole('button', { name: 'Pause 1 hour' })).toBeFocused();
    await expectFocusVisible(page);
    await expectAccessible(page, 'overview: resumed');
  } finally {
    api.close();
  }
});
