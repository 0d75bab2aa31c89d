import { defineConfig } from '@playwright/test';
import type { HearthOptions } from './fixtures.ts';

/**
 * Two projects share the specs and page objects: `chromium` drives Debian's Chromium
 * against `hearth daemon` serving the built renderer; `electron` launches the desktop
 * app and skips, saying why, where no Electron binary is installed.
 */
export default defineConfig<HearthOptions>({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/e2e',
  globalSetup: './global-setup.ts',
  // The daemon and the browser share two cores with everything else: one test at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env['CI']),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Both projects name Debian's Chromium: fixtures ask for `browser` even where the
    // Electron project ends up not using it, and Playwright's own download is not here.
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env['HEARTH_CHROMIUM'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { shell: 'browser' },
    },
    {
      name: 'electron',
      // Only the specs that make sense in the desktop window (no token, no daemon restarts).
      testMatch: ['**/navigation.spec.ts'],
      use: { shell: 'electron' },
    },
  ],
});
