import { expect, type Locator, type Page } from '@playwright/test';

export class OverviewPage {
  readonly uptime: Locator;
  /** The market headline (data-state = core's market state). */
  readonly hero: Locator;
  readonly earnings: Locator;
  readonly earnedTotal: Locator;
  readonly jobsPaid: Locator;
  readonly reconciliationOk: Locator;
  readonly reconciliationWarning: Locator;
  constructor(readonly page: Page) {
    this.uptime = page.getByTestId('uptime');
    this.hero = page.getByTestId('market-hero');
    this.earnings = page.getByTestId('earnings-card');
    this.earnedTotal = page.getByTestId('earned-total');
    this.jobsPaid = page.getByTestId('jobs-paid');
    this.reconciliationOk = page.getByTestId('reconciliation-ok');
    this.reconciliationWarning = page.getByTestId('reconciliation-warning');
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
