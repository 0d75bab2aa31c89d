import { expect, type Locator, type Page } from '@playwright/test';

export const PAGE_IDS = ['overview', 'devices', 'jobs', 'wallet', 'earn', 'settings', 'console'] as const;
export type PageId = (typeof PAGE_IDS)[number];

/** The window frame every page shares: sidebar, top bar, connection state. */
export class AppShell {
  readonly nav: Locator;
  readonly connection: Locator;
  readonly heading: Locator;
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.connection = page.getByTestId('connection');
    this.heading = page.getByRole('heading', { level: 1 });
    this.main = page.locator('main#main');
  }

  link(id: PageId): Locator {
    return this.nav.locator(`a[data-nav="${id}"]`);
  }

  async expectConnected(): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-state', 'connected');
  }

  async expectState(state: 'connecting' | 'connected' | 'reconnecting' | 'disconnected'): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-state', state);
  }

  /** Clicks a sidebar entry and waits for that page to be the one shown. */
  async open(id: PageId): Promise<void> {
    await this.link(id).click();
    await this.expectOn(id);
  }

  async expectOn(id: PageId): Promise<void> {
    await expect(this.main).toHaveAttribute('data-page', id);
    await expect(this.link(id)).toHaveAttribute('aria-current', 'page');
  }

  /** The page's "not available in this version" panel (for capabilities not built yet). */
  notYet(): Locator {
    return this.main.getByTestId('not-yet');
  }
}
