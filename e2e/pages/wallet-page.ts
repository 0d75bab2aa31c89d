import { expect, type Locator, type Page } from '@playwright/test';

/** The Wallet page: setup, account, send, activity and network cards. */
export class WalletPage {
  readonly devnetState: Locator;
  readonly address: Locator;
  readonly activity: Locator;

  constructor(readonly page: Page) {
    this.devnetState = page.getByTestId('devnet-state');
    this.address = page.getByTestId('wallet-address');
    this.activity = page.getByRole('list', { name: 'Transactions' });
  }

  /** Waits until the local chain is up and the protocol deployed. */
  async expectDevnetRunning(): Promise<void> {
    await expect(this.devnetState).toContainText('Running', { timeout: 90_000 });
    await expect(this.page.getByText(/Connected · block/)).toBeVisible();
  }

  /** Creates a wallet, returning the phrase shown once; stops on the phrase screen if `onPhrase` asks. */
  async create(password: string, onPhrase?: () => Promise<void>): Promise<string[]> {
    await this.page.getByLabel('Wallet password').fill(password);
    await this.page.getByLabel('Repeat password').fill(password);
    await this.page.getByRole('button', { name: 'Create wallet' }).click();
    // The phrase appears once core has made the key: wait for it rather than read an empty grid.
    await expect(this.page.locator('.mnemonic-grid__word')).toHaveCount(12, { timeout: 30_000 });
    const words = await this.page.locator('.mnemonic-grid__word').allTextContents();
    expect(words.every((word) => /^[a-z]+$/.test(word.trim()))).toBe(true);
    await onPhrase?.();
    await this.page.getByRole('button', { name: 'I wrote them down' }).click();
    for (const input of await this.page.getByLabel(/^Word \d+$/).all()) {
      const label = await input.evaluate((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '');
      const index = Number(/Word (\d+)/.exec(label)?.[1]) - 1;
      await input.fill(words[index]!);
    }
    await this.page.getByRole('button', { name: 'Confirm and save wallet' }).click();
    await expect(this.page.getByText('Unlocked', { exact: true })).toBeVisible();
    return words;
  }

  balance(symbol: string): Locator {
    return this.page.getByTestId(`balance-${symbol}`);
  }

  async send(asset: string, to: string, amount: string, onReview?: () => Promise<void>): Promise<void> {
    const select = this.page.getByLabel('Asset');
    const labels = await select.locator('option').allTextContents();
    const label = labels.find((text) => text.startsWith(`${asset} `));
    if (!label) throw new Error(`no ${asset} in the asset list: ${labels.join(', ')}`);
    await select.selectOption({ label });
    await this.page.getByLabel('Recipient address').fill(to);
    await this.page.getByLabel('Amount').fill(amount);
    await this.page.getByRole('button', { name: 'Review' }).click();
    await expect(this.page.getByTestId('preview-amount')).toBeVisible();
    await onReview?.();
    await this.page.getByRole('button', { name: 'Confirm and send' }).click();
    await expect(this.page.getByText(/^Sent\./)).toBeVisible();
  }

  async lock(): Promise<void> {
    await this.page.getByRole('button', { name: 'Lock' }).click();
    await expect(this.page.getByText('Locked', { exact: true })).toBeVisible();
  }

  async unlock(password: string): Promise<void> {
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Unlock', exact: true }).click();
  }
}
