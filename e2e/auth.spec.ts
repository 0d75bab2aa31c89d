import { test, expect } from '@playwright/test';
import { makeDataDir, removeDataDir, startDaemon, type DaemonHandle } from './support/daemon.ts';
import { join } from 'node:path';
import { screenshotDir, type HearthOptions } from './fixtures.ts';
import { expectAccessible } from './support/a11y.ts';
import { UnauthorizedPage } from './pages/unauthorized-page.ts';

// Raw access checks in a fresh browser context that never saw the token.
const t = test.extend<HearthOptions & { daemon: DaemonHandle }>({
  shell: ['browser', { option: true }],
  daemon: async ({}, use) => {
    const dataDir = await makeDataDir();
    const daemon = await startDaemon({ dataDir });
    try {
      await use(daemon);
    } finally {
      await daemon.stop();
      await removeDataDir(dataDir);
    }
  },
});

/** Opens a WebSocket from inside the page and reports how it ended. */
async function trySocket(page: import('@playwright/test').Page, url: string): Promise<{ opened: boolean; code: number }> {
  return page.evaluate(
    (target) =>
      new Promise<{ opened: boolean; code: number }>((resolve) => {
        let opened = false;
        const socket = new WebSocket(target);
        socket.onopen = () => {
          opened = true;
          // Stay open briefly: a refused socket is closed by the server right after the upgrade.
          setTimeout(() => socket.close(1000), 300);
        };
        socket.onclose = (event) => resolve({ opened, code: event.code });
      }),
    url,
  );
}

t('without the token the page and its files are served, but only the access screen shows and the socket is refused', async ({ browser, daemon }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    // The UI is public: it loads, finds no token, and says how to get the full address.
    const response = await page.goto(`${daemon.origin}/`);
    expect(response?.status()).toBe(200);
    expect(await response?.headerValue('set-cookie')).toBeNull();
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    const refused = new UnauthorizedPage(page);
    await expect(refused.title).toHaveText("This page needs Hearth's access link");
    await expect(refused.root).toContainText('hearth url');
    await page.screenshot({ path: join(screenshotDir, 'chromium-unauthorized-no-token.png'), animations: 'disabled' });
    await expectAccessible(page, 'the access screen, without a token');

    const asset = await context.request.get(`${daemon.origin}/favicon.svg`);
    expect(asset.status()).toBe(200);
    expect(asset.headers()['set-cookie']).toBeUndefined();
    // A wrong token loads the same public page, and the daemon refuses its socket.
    await page.goto(`${daemon.origin}/?token=not-the-token`);
    await expect(refused.title).toBeVisible();
    expect(await context.cookies()).toEqual([]);

    const ws = daemon.origin.replace('http', 'ws');
    expect(await trySocket(page, `${ws}/api`)).toMatchObject({ code: 4401 });
    expect(await trySocket(page, `${ws}/api?token=not-the-token`)).toMatchObject({ code: 4401 });
    // The same socket with the right token is accepted (so the refusals above are about the token).
    expect(await trySocket(page, `${ws}/api?token=${encodeURIComponent(daemon.token)}`)).toEqual({ opened: true, code: 1000 });
  } finally {
    await context.close();
  }
});

t('a hearth_token cookie for 127.0.0.1, even with the right token, opens nothing', async ({ browser, daemon }) => {
  // Any page served from another port of 127.0.0.1 can set this cookie, since cookies ignore ports.
  const context = await browser.newContext();
  try {
    await context.addCookies([{ name: 'hearth_token', value: daemon.token, domain: '127.0.0.1', path: '/' }]);
    const page = await context.newPage();
    await page.goto(`${daemon.origin}/`);
    await expect(new UnauthorizedPage(page).root).toBeVisible();
    const ws = daemon.origin.replace('http', 'ws');
    expect(await trySocket(page, `${ws}/api`)).toMatchObject({ opened: true, code: 4401 });
  } finally {
    await context.close();
  }
});
