import { expect, type Locator, type Page } from '@playwright/test';

/** The Earn page: summary, staking, lending, fee pool and liquidity cards, and the action dialog. */
export class EarnPage {
  readonly summary: Locator;
  readonly readAt: Locator;
  readonly staking: Locator;
  readonly lending: Locator;
  readonly feePool: Locator;
  readonly liquidity: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.summary = page.getByTestId('earn-summary');
    this.readAt = page.getByTestId('earn-read-at');
    this.staking = page.getByTestId('staking-card');
    this.lending = page.getByTestId('lending-card');
    this.feePool = page.getByTestId('feepool-card');
    this.liquidity = page.getByTestId('liquidity-card');
    this.dialog = page.getByTestId('action-dialog');
  }

  /** An amount by its test id; its exact wei is in `data-wei`, every decimal in `title`. */
  amount(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** The active stake cell of a class in the staking table. */
  classActive(classLabel: string): Locator {
    return this.staking.getByTestId('staking-classes').locator('tbody tr', { has: this.page.locator('th', { hasText: new RegExp(`^${classLabel}`) }) }).locator('td').first().locator('.amount');
  }

  /**
   * One action through its dialog: the card's button, the amount, Preview (nothing sent), a
   * look at the preview, Confirm, and Done once the network confirmed it.
   */
  async act(card: Locator, button: string, amount: string | null, options: { onPreview?: (preview: Locator) => Promise<void>; beforePreview?: () => Promise<void> } = {}): Promise<void> {
    await card.getByRole('button', { name: button, exact: true }).click();
    await expect(this.dialog).toBeVisible();
    if (amount !== null) await this.dialog.getByLabel(/^Amount \(/).fill(amount);
    await options.beforePreview?.();
    await this.dialog.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = this.dialog.getByTestId('action-preview');
    await expect(preview.or(this.dialog.getByTestId('action-error'))).toBeVisible({ timeout: 20_000 });
    await expect(this.dialog.getByTestId('action-error'), 'the preview failed').toHaveCount(0);
    await expect(preview.getByTestId('preview-problem'), 'the preview names a problem').toHaveCount(0);
    await options.onPreview?.(preview);
    await this.dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    const done = this.dialog.getByTestId('action-done');
    await expect(done.or(this.dialog.getByTestId('action-error'))).toBeVisible({ timeout: 60_000 });
    const error = this.dialog.getByTestId('action-error');
    if ((await error.count()) > 0) throw new Error(`${button} did not go through: ${(await error.innerText()).replace(/\s+/g, ' ')}`);
    await expect(done).toBeVisible();
  }

  async closeDialog(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await expect(this.dialog).toHaveCount(0);
  }

  /**
   * The figures on screen in one pass (React renders a view at once): the block the view says it
   * read and the exact wei of each amount. Null for an amount that is not on the page.
   */
  async snapshot(testIds: readonly string[]): Promise<{ block: number | null; wei: Record<string, string | null> }> {
    return this.page.evaluate((ids) => {
      const text = document.querySelector('[data-testid="earn-read-at"]')?.textContent ?? '';
      const match = /block ([\d,]+)/.exec(text);
      const wei: Record<string, string | null> = {};
      for (const id of ids) wei[id] = document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-wei') ?? null;
      return { block: match ? Number(match[1]!.replace(/,/g, '')) : null, wei };
    }, testIds);
  }
}
