import { test, expect } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { SettingsPage } from './pages/settings-page.ts';
import { UnauthorizedPage } from './pages/unauthorized-page.ts';
import { startDaemon } from './support/daemon.ts';

test('settings are saved by core, follow the theme, and survive a daemon restart', async ({ hearth, pageErrors, snapshot }) => {
  const { page, daemon } = hearth;
  if (!daemon) throw new Error('this spec runs against the daemon');
  const app = new AppShell(page);
  const settings = new SettingsPage(page);
  await app.expectConnected();
  await app.open('settings');
  await settings.expectLoaded();

  await expect(settings.notifications).toHaveAttribute('aria-checked', 'true');
  await settings.chooseTheme('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await settings.toggle(settings.notifications)).toBe(false);
  expect(await settings.toggle(settings.launchAtLogin)).toBe(true);
  await snapshot(page, 'settings-light');
  await app.open('overview');
  await snapshot(page, 'overview-light');

  // Stop the daemon: the page says it lost the link and keeps trying.
  // Chromium logs each refused reconnect attempt itself; those are expected here.
  pageErrors.allow(/WebSocket connection to .* failed/);
  await daemon.stop();
  await app.expectState('reconnecting');
  await expect(page.getByText('Lost the connection to Hearth')).toBeVisible();
  await snapshot(page, 'reconnecting');

  // Start it again on the same port: it has a new token, so the old page is refused.
  const restarted = await startDaemon({ dataDir: hearth.dataDir, port: daemon.port });
  try {
    // Skip the backoff wait if the page has not already retried by itself.
    await page
      .getByRole('button', { name: 'Retry now' })
      .click({ timeout: 2000 })
      .catch(() => undefined);
    const refused = new UnauthorizedPage(page);
    await expect(refused.title).toHaveText("This page needs Hearth's access link");
    await snapshot(page, 'unauthorized');

    // Opening the newly printed address shows the settings core kept on disk.
    await page.goto(restarted.url);
    await app.expectConnected();
    await app.open('settings');
    await expect(settings.theme).toHaveValue('light');
    await expect(settings.notifications).toHaveAttribute('aria-checked', 'false');
    await expect(settings.launchAtLogin).toHaveAttribute('aria-checked', 'true');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  } finally {
    await restarted.stop();
  }
});
