import { test as base, expect, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { makeDataDir, removeDataDir, repoRoot, startDaemon, type DaemonHandle } from './support/daemon.ts';
import { electronBinary } from './support/electron.ts';
import { expectAccessible } from './support/a11y.ts';

export type Shell = 'browser' | 'electron';

export interface HearthFixtures {
  /** A page showing the Hearth UI, connected to a fresh Hearth with its own data dir. */
  hearth: { page: Page; daemon: DaemonHandle | null; dataDir: string };
  /** Console errors and uncaught page errors seen during the test; must stay empty. */
  pageErrors: ErrorWatch;
  /** Saves a full-window PNG to e2e/screenshots/<project>-<name>.png, then checks the state with axe in both themes. */
  snapshot: (page: Page, name: string) => Promise<void>;
}

export interface HearthOptions {
  shell: Shell;
}

export const screenshotDir = join(repoRoot, 'e2e', 'screenshots');

/** Errors seen in a page; a test may `allow` ones it causes on purpose (e.g. stopping the daemon). */
export class ErrorWatch {
  readonly seen: string[] = [];
  private readonly allowed: RegExp[] = [];
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }
  unexpected(): string[] {
    return this.seen.filter((line) => !this.allowed.some((pattern) => pattern.test(line)));
  }
}

/** Records every console error and uncaught exception in the page. */
export function watchErrors(page: Page, into: ErrorWatch): void {
  page.on('console', (message) => {
    if (message.type() === 'error') into.seen.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => into.seen.push(`page error: ${error.message}`));
}

export const test = base.extend<HearthFixtures & HearthOptions>({
  shell: ['browser', { option: true }],

  pageErrors: async ({}, use) => {
    const watch = new ErrorWatch();
    await use(watch);
    expect(watch.unexpected(), 'the page logged errors').toEqual([]);
  },

  snapshot: async ({}, use, testInfo) => {
    mkdirSync(screenshotDir, { recursive: true });
    await use(async (page, name) => {
      await page.screenshot({ path: join(screenshotDir, `${testInfo.project.name}-${name}.png`), animations: 'disabled' });
      // Every state worth a screenshot is held to WCAG 2.2 AA in both themes.
      await expectAccessible(page, name);
    });
  },

  hearth: async ({ shell, browser, pageErrors }, use, testInfo) => {
    const dataDir = await makeDataDir();
    try {
      if (shell === 'electron') {
        const binary = electronBinary();
        if ('reason' in binary) {
          testInfo.skip(true, binary.reason);
          return;
        }
        const app: ElectronApplication = await _electron.launch({
          executablePath: binary.path,
          args: [repoRoot],
          env: { ...process.env, HEARTH_DATA_DIR: dataDir },
        });
        try {
          const page = await app.firstWindow();
          watchErrors(page, pageErrors);
          await use({ page, daemon: null, dataDir });
        } finally {
          await app.close();
        }
        return;
      }
      const daemon = await startDaemon({ dataDir });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
      try {
        const page = await context.newPage();
        watchErrors(page, pageErrors);
        await page.goto(daemon.url);
        await use({ page, daemon, dataDir });
      } finally {
        await context.close();
        await daemon.stop();
      }
    } finally {
      await removeDataDir(dataDir);
    }
  },
});

export { expect };
