import { expect, type Locator, type Page } from '@playwright/test';

export class SettingsPage {
  readonly theme: Locator;
  readonly launchAtLogin: Locator;
  readonly notifications: Locator;

  constructor(readonly page: Page) {
    this.theme = page.getByLabel('Theme');
    this.launchAtLogin = page.getByRole('switch', { name: 'Launch at login' });
    this.notifications = page.getByRole('switch', { name: 'Notifications' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.theme).toBeVisible();
  }

  /** Flips a switch and waits until core has confirmed the new value. */
  async toggle(control: Locator): Promise<boolean> {
    const before = (await control.getAttribute('aria-checked')) === 'true';
    await control.click();
    await expect(control).toHaveAttribute('aria-checked', String(!before));
    await expect(control).toBeEnabled();
    return !before;
  }

  async chooseTheme(value: 'system' | 'light' | 'dark'): Promise<void> {
    await this.theme.selectOption(value);
    await expect(this.theme).toHaveValue(value);
    await expect(this.theme).not.toHaveAttribute('aria-busy', 'true');
  }
}
