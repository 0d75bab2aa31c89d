import { expect, type Locator, type Page } from '@playwright/test';

/** The Devices page: one card per GPU (data-device-id "nvidia:<bus>") plus the CPU card. */
export class DevicesPage {
  readonly gpuCards: Locator;
  readonly cpuCard: Locator;
  readonly cpuOnlyNotice: Locator;

  constructor(readonly page: Page) {
    this.gpuCards = page.locator('[data-device-id^="nvidia:"], [data-device-id^="amd:"], [data-device-id^="intel:"]');
    this.cpuCard = page.locator('[data-device-id="cpu"]');
    this.cpuOnlyNotice = page.getByText('No supported GPU was found');
  }

  card(deviceId: string): Locator {
    return this.page.locator(`[data-device-id="${deviceId}"]`);
  }

  gauge(deviceId: string, label: string): Locator {
    return this.card(deviceId).getByRole('meter', { name: label });
  }

  /** Waits until a device's chart has drawn a line through at least two readings. */
  async expectChartLine(deviceId: string): Promise<void> {
    await expect(this.card(deviceId).locator('path.telemetry-chart__line').first()).toHaveAttribute('d', / L/, { timeout: 15_000 });
  }
}
