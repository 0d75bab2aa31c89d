import { test, expect, watchErrors } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { ConsolePage } from './pages/console-page.ts';
import { makeDataDir, removeDataDir, startDaemon } from './support/daemon.ts';

test.describe('console', () => {
  test.skip(({ shell }) => shell !== 'browser', 'runs against a daemon started with --console');

  test('a real shell in the page: typing a command shows its output, and exit is reported', async ({ browser, pageErrors, snapshot }) => {
    const dataDir = await makeDataDir();
    const daemon = await startDaemon({ dataDir, args: ['--console'], env: { SHELL: '/bin/bash' } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      watchErrors(page, pageErrors);
      await page.goto(`${daemon.url.split('#')[0]}#/console`);
      const app = new AppShell(page);
      await app.expectConnected();
      await app.expectOn('console');
      const console = new ConsolePage(page);
      await console.expectState('running');
      await expect(page.getByText(dataDir, { exact: true })).toBeVisible();
      // Wait for the shell's first prompt, so what is typed is not echoed ahead of it.
      await expect(console.rows).not.toHaveText(/^\s*$/);
      await console.type('echo hello-$((6*7))\n');
      await console.expectText('hello-42');
      await console.type('hearth --help | head -3\n');
      await console.expectText('Usage: hearth <command>');
      await snapshot(page, 'console-running');
      // The terminal follows the app's theme while it runs (the setting is "system" here).
      // The text colour comes from xterm's theme stylesheet (applied through CSSOM under the CSP).
      const textColour = () => console.rows.evaluate((el) => getComputedStyle(el).color);
      const dark = await textColour();
      expect(dark).toBe('rgb(239, 237, 242)');
      await page.emulateMedia({ colorScheme: 'light' });
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
      await expect.poll(textColour).toBe('rgb(29, 26, 32)');
      await snapshot(page, 'console-light');
      await page.emulateMedia({ colorScheme: 'dark' });

      await console.type('exit 3\n');
      await console.expectState('exited');
      await expect(page.getByText('Exited (code 3)')).toBeVisible();
      await snapshot(page, 'console-exited');
      await page.getByRole('button', { name: 'Start a new session' }).click();
      await console.expectState('running');
      await console.type('echo again-$((2+2))\n');
      await console.expectText('again-4');
      // A flood (about 8 MB) gets through only if the page acks what it draws: core stops at 256 KiB unacked.
      await console.type('yes hearth-flood | head -c 8000000; echo flood-$((3*3))-done\n');
      await expect(console.rows).toContainText('flood-9-done', { timeout: 60_000 });
      await app.open('settings');
      await app.open('console');
      await console.expectState('running');
    } finally {
      await context.close();
      await daemon.stop();
      await removeDataDir(dataDir);
    }
  });

  test('a daemon without --console shows how to turn it on', async ({ hearth, snapshot }) => {
    const { page } = hearth;
    const app = new AppShell(page);
    await app.expectConnected();
    await app.open('console');
    const console = new ConsolePage(page);
    await expect(console.off).toContainText('hearth daemon --console');
    await expect(console.section).toBeHidden();
    await snapshot(page, 'console-off');
  });
});

