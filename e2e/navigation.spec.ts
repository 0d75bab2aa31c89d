import { test, expect } from './fixtures.ts';
import { AppShell, PAGE_IDS, type PageId } from './pages/app-shell.ts';
import { OverviewPage } from './pages/overview-page.ts';
import { SettingsPage } from './pages/settings-page.ts';
import { expectAccessible } from './support/a11y.ts';

const titles: Record<PageId, string> = {
  overview: 'Overview',
  devices: 'Devices',
  jobs: 'Jobs',
  wallet: 'Wallet',
  earn: 'Earn',
  settings: 'Settings',
  console: 'Console',
};

test('opens with real status from core and visits every page', async ({ hearth, shell, snapshot }) => {
  // Seven pages, each with a screenshot and axe in two themes (~6 s a page on two cores).
  test.setTimeout(150_000);
  const { page } = hearth;
  const app = new AppShell(page);
  await app.expectConnected();
  await app.expectOn('overview');

  const overview = new OverviewPage(page);
  await overview.expectLoaded();
  await expect(overview.stat('Version')).toHaveText(/^\d+\.\d+\.\d+/);
  if (shell === 'browser') {
    await expect(overview.stat('Running as')).toHaveText('Headless daemon');
    // Core reports the data dir this daemon was started with: the data is real, not a mock.
    await expect(overview.stat('Data folder')).toHaveText(hearth.dataDir);
    // The token was moved out of the address bar.
    expect(page.url()).not.toContain('token=');
  }
  await snapshot(page, 'overview');

  for (const id of PAGE_IDS) {
    await app.open(id);
    await expect(app.heading).toHaveText(titles[id]);
    await expect(page).toHaveTitle(`${titles[id]} · Hearth`);
    if (id === 'console' && shell === 'browser') {
      // A daemon started without --console says how to turn the console on.
      await expect(page.getByTestId('console-off')).toContainText('hearth daemon --console');
    }
    if (id === 'settings') await new SettingsPage(page).expectLoaded();
    await snapshot(page, id);
    await expectAccessible(page, `the ${id} page, first run`);
  }
});

test('the first Tab shows a skip link that takes focus past the sidebar to the page', async ({ hearth }) => {
  const { page } = hearth;
  const app = new AppShell(page);
  await app.expectConnected();
  await app.open('devices');
  // A fresh load (the session survives it), so Tab starts from the top of the document.
  await page.reload();
  await app.expectConnected();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(app.heading).toBeFocused();
  await expect(app.heading).toHaveText('Devices');
  // Still on the same page: the skip link is not a route.
  await app.expectOn('devices');
  await page.keyboard.press('Tab');
  // The next stop is inside the page, not the sidebar.
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main#main')))).toBe(true);
});

test('the sidebar works from the keyboard and the page heading takes focus', async ({ hearth }) => {
  const { page } = hearth;
  const app = new AppShell(page);
  await app.expectConnected();
  await app.link('overview').focus();
  await page.keyboard.press('Tab');
  await expect(app.link('devices')).toBeFocused();
  await page.keyboard.press('Enter');
  await app.expectOn('devices');
  await expect(app.heading).toBeFocused();
});

test('an unknown address falls back to the overview', async ({ hearth }) => {
  const { page } = hearth;
  const app = new AppShell(page);
  await page.evaluate(() => {
    window.location.hash = '#/no-such-page';
  });
  await app.expectOn('overview');
});

test('a reload keeps the session without the token in the address', async ({ hearth, shell }) => {
  test.skip(shell !== 'browser', 'The desktop window has no address bar or token.');
  const { page } = hearth;
  const app = new AppShell(page);
  await app.expectConnected();
  await page.reload();
  await app.expectConnected();
  await new OverviewPage(page).expectLoaded();
});
