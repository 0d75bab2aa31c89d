import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { test, expect, watchErrors } from './fixtures.ts';
import { AppShell, PAGE_IDS } from './pages/app-shell.ts';
import { makeDataDir, removeDataDir, startDaemon, type DaemonHandle } from './support/daemon.ts';
import { expectAccessible } from './support/a11y.ts';
import { MIN_WINDOW_CONTENT_SIZE } from '../common/window-size.ts';

/** A daemon and a page in a context with the given display options, for the length of `body`. */
async function withPage(browser: Browser, options: BrowserContextOptions, body: (page: Page, daemon: DaemonHandle) => Promise<void>, errors: Parameters<typeof watchErrors>[1]): Promise<void> {
  const dataDir = await makeDataDir();
  const daemon = await startDaemon({ dataDir });
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(daemon.url);
    await new AppShell(page).expectConnected();
    await body(page, daemon);
  } finally {
    await context.close();
    await daemon.stop();
    await removeDataDir(dataDir);
  }
}

/** What runs past the right edge of the window: the page must never scroll sideways. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const past: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1) past.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ends at ${Math.round(box.right)} px`);
    }
    const main = document.querySelector<HTMLElement>('main#main');
    return {
      page: document.documentElement.scrollWidth - width,
      main: main ? main.scrollWidth - main.clientWidth : 0,
      past: past.slice(0, 5),
    };
  });
}

/** Every page: shown in full, nothing sideways, the heading on screen, and axe clean at this size. */
async function everyPageFits(page: Page, label: string): Promise<void> {
  const app = new AppShell(page);
  for (const id of PAGE_IDS) {
    await app.open(id);
    await expect(app.heading).toBeInViewport();
    await expect(app.connection).toBeInViewport();
    // Each sidebar link is on screen and keeps its name, even where only its icon shows.
    for (const other of PAGE_IDS) {
      await expect(app.link(other)).toBeInViewport();
      await expect(app.link(other)).toHaveAccessibleName(/\w+/);
    }
    expect(await overflow(page), `${id} at ${label}`).toEqual({ page: 0, main: 0, past: [] });
    await expectAccessible(page, `${id} at ${label}`);
  }
}

test.describe('display preferences', () => {
  test.beforeEach(({ shell }) => test.skip(shell !== 'browser', 'sets the browser context’s zoom, size and motion preference'));
  // Seven pages with axe in two themes each: about 25 s on two idle cores.
  test.describe.configure({ timeout: 150_000 });

  test('text zoomed to 200 % in a 1280 px window: every page reflows without sideways scrolling or lost content', async ({ browser, pageErrors, snapshot }) => {
    // Chromium at 200 % zoom lays a 1280×900 window out as 640×450 CSS pixels at twice the
    // density: the same viewport and scale reproduce it exactly.
    await withPage(browser, { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2, colorScheme: 'light' }, async (page) => {
      await everyPageFits(page, '200 % zoom');
      await new AppShell(page).open('overview');
      await snapshot(page, 'zoom-200-overview');
    }, pageErrors);
  });

  test('at the smallest window the desktop app allows, every page shows everything', async ({ browser, pageErrors, snapshot }) => {
    await withPage(browser, { viewport: { ...MIN_WINDOW_CONTENT_SIZE }, colorScheme: 'dark' }, async (page) => {
      await everyPageFits(page, `${MIN_WINDOW_CONTENT_SIZE.width}×${MIN_WINDOW_CONTENT_SIZE.height}`);
      await new AppShell(page).open('overview');
      await snapshot(page, 'min-window-overview');
    }, pageErrors);
  });

  test('reduced motion: transitions are instant and nothing pulses or slides', async ({ browser, pageErrors }) => {
    // The same probe in both preferences, so the check can tell them apart (and so fail).
    const probe = (page: Page) =>
      page.evaluate(() => {
        const host = document.createElement('div');
        host.innerHTML =
          '<span class="status-pill status-pill--pulse tone--idle"><span class="status-pill__dot"></span>x</span>' +
          '<div class="progress progress--indeterminate"><svg class="progress__svg"><rect class="progress__fill"></rect></svg></div><span class="spinner"></span>';
        document.body.append(host);
        const style = (selector: string) => getComputedStyle(host.querySelector(selector)!);
        const result = {
          transition: style('.progress__fill').transitionDuration,
          pulse: style('.status-pill__dot').animationName,
          slide: style('.progress__svg').animationName,
          spin: style('.spinner').animationDuration,
        };
        host.remove();
        return result;
      });
    await withPage(browser, { reducedMotion: 'reduce' }, async (page) => {
      expect(await probe(page)).toEqual({ transition: '0s', pulse: 'none', slide: 'none', spin: '2.4s' });
    }, pageErrors);
    await withPage(browser, { reducedMotion: 'no-preference' }, async (page) => {
      expect(await probe(page)).toEqual({ transition: '0.2s', pulse: 'pulse', slide: 'indeterminate', spin: '0.8s' });
    }, pageErrors);
  });
});
