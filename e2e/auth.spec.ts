import { test, expect } from '@playwright/test';
import { makeDataDir, removeDataDir, startDaemon, type DaemonHandle } from './support/daemon.ts';
import type { HearthOptions } from './fixtures.ts';

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

t('without the token the page, its files and the socket are refused', async ({ browser, daemon }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(`${daemon.origin}/`);
    expect(response?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('access token');
    await expect(page.locator('#root')).toHaveCount(0);

    const asset = await context.request.get(`${daemon.origin}/favicon.svg`);
    expect(asset.status()).toBe(401);
    const wrong = await context.request.get(`${daemon.origin}/?token=not-the-token`);
    expect(wrong.status()).toBe(401);

    const ws = daemon.origin.replace('http', 'ws');
    expect(await trySocket(page, `${ws}/api`)).toMatchObject({ code: 4401 });
    expect(await trySocket(page, `${ws}/api?token=not-the-token`)).toMatchObject({ code: 4401 });
    // The same socket with the right token is accepted (so the refusals above are about the token).
    expect(await trySocket(page, `${ws}/api?token=${encodeURIComponent(daemon.token)}`)).toEqual({ opened: true, code: 1000 });
  } finally {
    await context.close();
  }
});

