import { expect, type Locator, type Page } from '@playwright/test';

export class OverviewPage {
  readonly uptime: Locator;
  constructor(readonly page: Page) {
    this.uptime = page.getByTestId('uptime');
  }

  /** The value shown next to a label in the status card ("Version", "Data folder", …). */
  stat(label: string): Locator {
    return this.page.locator('.stat').filter({ has: this.page.locator('dt', { hasText: label }) }).locator('dd').first();
  }

  async expectLoaded(): Promise<void> {
    await expect(this.stat('Version')).not.toBeEmpty();
    await expect(this.uptime).toBeVisible();
  }
}
