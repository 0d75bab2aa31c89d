import type { Locator, Page } from '@playwright/test';

/** The screen shown when the daemon refuses the page's token. */
export class UnauthorizedPage {
  readonly root: Locator;
  readonly title: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('unauthorized');
    this.title = this.root.getByRole('heading', { level: 1 });
  }
}
