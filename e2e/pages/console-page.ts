import { expect, type Locator, type Page } from '@playwright/test';

/** The Console page: the terminal, its state pill and the screen shown when it is off. */
export class ConsolePage {
  readonly terminal: Locator;
  readonly rows: Locator;
  readonly section: Locator;
  readonly off: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole('region', { name: 'Terminal' });
    this.terminal = page.getByTestId('console-terminal');
    this.rows = this.terminal.locator('.xterm-rows');
    this.off = page.getByTestId('console-off');
  }

  async expectState(state: 'starting' | 'running' | 'exited' | 'lost' | 'refused'): Promise<void> {
    await expect(this.section).toHaveAttribute('data-state', state);
  }

  /** Types as a user would: focus the terminal and press keys. */
  async type(text: string): Promise<void> {
    await this.terminal.click();
    await this.page.keyboard.type(text);
  }

  async expectText(text: string | RegExp): Promise<void> {
    await expect(this.rows).toContainText(text);
  }
}
