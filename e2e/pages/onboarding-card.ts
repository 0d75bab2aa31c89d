import { expect, type Locator, type Page } from '@playwright/test';

export type OnboardingStep = 'wallet' | 'provider' | 'rules';

/** The Overview's first-run card: wallet → register and stake → devices and idle rules. */
export class OnboardingCard {
  readonly root: Locator;
  readonly register: Locator;
  readonly preview: Locator;
  readonly stake: Locator;
  readonly rules: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('onboarding');
    this.register = page.getByTestId('register-step');
    this.preview = page.getByTestId('register-preview');
    this.stake = this.register.getByLabel('Stake (HRTH)');
    this.rules = page.getByTestId('rules-step');
  }

  step(id: OnboardingStep): Locator {
    return this.root.locator(`[data-step="${id}"]`);
  }

  /** Waits until `id` is the open step. */
  async expectActive(id: OnboardingStep, timeout?: number): Promise<void> {
    await expect(this.step(id)).toHaveAttribute('aria-current', 'step', timeout ? { timeout } : undefined);
  }

  async expectDone(id: OnboardingStep): Promise<void> {
    await expect(this.step(id)).toHaveAttribute('data-state', 'done');
  }

  /** The device-class radio ("cpu", "gpu-8gb", …) in the register step. */
  classOption(label: string): Locator {
    return this.register.getByRole('radio', { name: new RegExp(`^${label}\\b`) });
  }

  /** The whole option (name, hints, minimum stake and price) for a class. */
  classCard(label: string): Locator {
    return this.register.locator('label.class-picker__option').filter({ has: this.page.getByRole('radio', { name: new RegExp(`^${label}\\b`) }) });
  }

  registerButton(): Locator {
    return this.register.getByRole('button', { name: /^Register and stake/ });
  }

  /** A device's "earns" switch in the rules step. */
  device(name: string | RegExp): Locator {
    return this.rules.getByRole('switch', { name });
  }
}
