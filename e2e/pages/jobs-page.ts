import { expect, type Locator, type Page } from '@playwright/test';

/** The Jobs page: tabs, the job table (rows keyed by data-key) and the detail panel. */
export class JobsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly detail: Locator;
  readonly timeline: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('jobs-table');
    this.rows = this.table.locator('tbody tr');
    this.detail = page.getByTestId('job-detail');
    this.timeline = page.getByTestId('job-timeline');
  }

  /** Rows whose state pill reads `label` ("Paid", "Awaiting payment", …). */
  rowsIn(label: string): Locator {
    return this.rows.filter({ has: this.page.locator('td .status-pill', { hasText: new RegExp(`^${label}$`) }) });
  }

  row(key: string): Locator {
    return this.table.locator(`tbody tr[data-key="${key}"]`);
  }

  async tab(name: 'All' | 'Active' | 'Paid' | 'Declined' | 'Problems'): Promise<void> {
    const tab = this.page.getByRole('tab', { name, exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  /** Opens a job's detail panel from its row. */
  async open(key: string): Promise<void> {
    await this.row(key).getByRole('button').click();
    await expect(this.detail).toBeVisible();
    await expect(this.timeline).toBeVisible();
  }

  /** The value next to a label in the detail panel's facts ("Earned", "Ran on", …). */
  fact(label: string): Locator {
    return this.detail.locator('.job-detail__facts > div').filter({ has: this.page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
  }
}
