import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test, expect, watchErrors, type ErrorWatch } from './fixtures.ts';
import { AppShell } from './pages/app-shell.ts';
import { DevicesPage } from './pages/devices-page.ts';
import { makeDataDir, removeDataDir, repoRoot, startDaemon, type DaemonHandle } from './support/daemon.ts';

/**
 * The Devices page end to end. The daemon is pointed at a GPU tool with HEARTH_NVIDIA_SMI:
 * "none" for a machine without NVIDIA, or the fake nvidia-smi replaying a recorded
 * dual-GPU machine (core/hardware/fixtures).
 */

const FAKE_SMI = join(repoRoot, 'core', 'hardware', 'fixtures', 'bin', 'nvidia-smi');

/** Starts `hearth daemon` with extra environment for that one spawn. */
async function startWith(dataDir: string, env: Record<string, string>): Promise<DaemonHandle> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    // spawn() copies the environment synchronously, before the first await inside.
    return await startDaemon({ dataDir });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function openDevices(browser: Browser, daemon: DaemonHandle, errors: ErrorWatch): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  watchErrors(page, errors);
  await page.goto(daemon.url);
  const shell = new AppShell(page);
  await shell.expectConnected();
  await shell.open('devices');
  return page;
}

test.describe('Devices', () => {
  test('without a GPU: the CPU is listed and the page says no supported GPU was found', async ({ browser, pageErrors, snapshot }) => {
    const dataDir = await makeDataDir();
    const daemon = await startWith(dataDir, { HEARTH_NVIDIA_SMI: 'none', HEARTH_ROCM_SMI: 'none' });
    try {
      const page = await openDevices(browser, daemon, pageErrors);
      const devices = new DevicesPage(page);
      await expect(devices.cpuOnlyNotice).toBeVisible();
      await expect(devices.cpuCard).toBeVisible();
      await expect(devices.gpuCards).toHaveCount(0);
      await expect(devices.gauge('cpu', 'CPU load')).toHaveAttribute('aria-valuenow', /\d+/, { timeout: 15_000 });
      await snapshot(page, 'devices-cpu-only');
      await page.context().close();
    } finally {
      await daemon.stop();
      await removeDataDir(dataDir);
    }
  });

  test('with the fake dual-GPU nvidia-smi: both GPUs with live values', async ({ browser, pageErrors, snapshot }) => {
    const dataDir = await makeDataDir();
    const daemon = await startWith(dataDir, { HEARTH_NVIDIA_SMI: FAKE_SMI, HEARTH_ROCM_SMI: 'none' });
    try {
      const page = await openDevices(browser, daemon, pageErrors);
      const devices = new DevicesPage(page);
      await expect(devices.gpuCards).toHaveCount(2);
      await expect(devices.cpuOnlyNotice).toHaveCount(0);
      for (const id of ['nvidia:00000000:01:00.0', 'nvidia:00000000:02:00.0']) {
        await expect(devices.card(id)).toContainText('NVIDIA GeForce RTX 2070');
        await expect(devices.card(id)).toContainText('8.0 GiB');
        await expect(devices.gauge(id, 'Temperature')).toHaveAttribute('aria-valuenow', /\d+/);
        await devices.expectChartLine(id);
      }
      await expect(devices.card('nvidia:00000000:01:00.0')).toContainText('14°');
      await expect(devices.card('nvidia:00000000:02:00.0')).toContainText('13°');
      await snapshot(page, 'devices-dual-gpu');

      // Per-device choice persists through core's settings.
      await devices.card('nvidia:00000000:02:00.0').getByRole('switch', { name: 'Use for earning' }).click();
      await expect(devices.card('nvidia:00000000:02:00.0').getByRole('switch', { name: 'Use for earning' })).toHaveAttribute('aria-checked', 'false');
      const settings = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as { settings: { hardware: { devices: Record<string, { enabled: boolean }> } } };
      expect(settings.settings.hardware.devices['nvidia:00000000:02:00.0']?.enabled).toBe(false);
      await page.context().close();
    } finally {
      await daemon.stop();
      await removeDataDir(dataDir);
    }
  });

  test('benchmark: runs a real model through the worker with a progress bar and stores the score', async ({ browser, pageErrors }) => {
    const dataDir = await makeDataDir();
    const daemon = await startWith(dataDir, { HEARTH_NVIDIA_SMI: 'none', HEARTH_ROCM_SMI: 'none' });
    try {
      const page = await openDevices(browser, daemon, pageErrors);
      const devices = new DevicesPage(page);
      await devices.cpuCard.getByRole('button', { name: 'Run benchmark' }).click();
      await expect(devices.cpuCard.getByRole('progressbar')).toBeVisible();
      await expect(devices.cpuCard).toContainText(/\d+(\.\d+)? inferences\/s/, { timeout: 45_000 });
      await expect(devices.cpuCard.getByRole('progressbar')).toHaveCount(0);
      const stored = JSON.parse(await readFile(join(dataDir, 'hardware', 'benchmarks.json'), 'utf8')) as { records: { deviceId: string; provider: string; inferencesPerSecond: number }[] };
      expect(stored.records).toHaveLength(1);
      expect(stored.records[0]).toMatchObject({ deviceId: 'cpu', provider: 'cpu' });
      expect(stored.records[0]?.inferencesPerSecond).toBeGreaterThan(0);
      await page.context().close();
    } finally {
      await daemon.stop();
      await removeDataDir(dataDir);
    }
  });
});
