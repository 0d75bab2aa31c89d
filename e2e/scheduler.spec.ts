import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import WebSocket from 'ws';
import { test, expect, watchErrors, ErrorWatch, screenshotDir } from './fixtures.ts';
import { expectAccessible } from './support/a11y.ts';
import type { Browser, Page } from '@playwright/test';
import { AppShell } from './pages/app-shell.ts';
import { freePort, makeDataDir, removeDataDir, startDaemon, type DaemonHandle } from './support/daemon.ts';

/**
 * The scheduler end to end: a daemon started with HEARTH_TEST_HOOKS=1 takes scripted
 * activity through `scheduler:test-drive`; the Overview shows each state with its reason,
 * a real practice job runs in the real worker and is preempted, and settings and the
 * user's pause survive a restart.
 */

/** Starts `hearth daemon` with the test hooks on (env set only for that one spawn). */
async function startHookedDaemon(dataDir: string, port?: number): Promise<DaemonHandle> {
  process.env['HEARTH_TEST_HOOKS'] = '1';
  try {
    // spawn() copies the environment synchronously, before the first await inside.
    return await startDaemon({ dataDir, ...(port ? { port } : {}) });
  } finally {
    delete process.env['HEARTH_TEST_HOOKS'];
  }
}

/** A bare contract client over the daemon's WebSocket, the way the CLI talks to it. */
async function connect(daemon: DaemonHandle) {
  const ws = new WebSocket(`ws://127.0.0.1:${daemon.port}/api?token=${daemon.token}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const pending = new Map<number, (envelope: { ok: boolean; value?: unknown; code?: string; message?: string }) => void>();
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { type: string; id?: number; envelope?: { ok: boolean } };
    if (frame.type === 'result' && frame.id !== undefined) pending.get(frame.id)?.(frame.envelope as never);
  });
  const call = (channel: string, payload: unknown) =>
    new Promise<{ ok: boolean; value?: unknown; code?: string; message?: string }>((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
    });
  return {
    call,
    async drive(...steps: unknown[]): Promise<void> {
      const reply = await call('scheduler:test-drive', { steps });
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
    },
    close: () => ws.close(),
  };
}

async function openPage(browser: Browser, daemon: DaemonHandle, errors: ErrorWatch): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  watchErrors(page, errors);
  await page.goto(daemon.url);
  await new AppShell(page).expectConnected();
  return page;
}

test('scripted activity drives the scheduler through its states; real jobs start and are preempted; settings survive a restart', async ({ browser, shell }, testInfo) => {
  test.skip(shell !== 'browser', 'drives the daemon');
  test.setTimeout(120_000);
  mkdirSync(screenshotDir, { recursive: true });
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(screenshotDir, `${testInfo.project.name}-scheduler-${name}.png`), animations: 'disabled' });
    await expectAccessible(page, `scheduler: ${name}`);
  };
  const errors = new ErrorWatch();
  const dataDir = await makeDataDir();
  const port = await freePort();
  let daemon = await startHookedDaemon(dataDir, port);
  try {
    // Without the hooks the call is refused (checked against a plain daemon below); with them it works.
    let api = await connect(daemon);
    let page = await openPage(browser, daemon, errors);
    const card = page.getByTestId('earning-card');
    const reason = page.getByTestId('earning-reason');

    await expect(card).toHaveAttribute('data-state', 'waiting');
    await expect(reason).toHaveText(/^Waiting — you were active \d+ s ago \(starts after 5 min idle\)$/);
    await shot(page, 'waiting');

    // Away for 10 minutes: a real practice job starts in the real worker.
    await api.drive({ kind: 'idle', seconds: 600 });
    await expect(card).toHaveAttribute('data-state', /ready|running/);
    await expect(card).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
    await expect(reason).toHaveText(/^Running practice work \(unpaid\): PaddleOCR v4 text recognizer — you have been away 10 min/);
    await expect(card.getByText('Practice · unpaid')).toBeVisible();
    await shot(page, 'running');

    // The user is back: the job is preempted and the worker is gone.
    await api.drive({ kind: 'input' });
    await expect(card).toHaveAttribute('data-state', 'waiting');
    const after = (await api.call('scheduler:status', {})).value as { jobsPreempted: number; lastYieldMs: number | null; job: unknown };
    expect(after.jobsPreempted).toBe(1);
    expect(after.job).toBeNull();
    expect(after.lastYieldMs).not.toBeNull();
    expect(after.lastYieldMs!).toBeLessThan(2000);
    await expect(card.locator('summary')).toContainText('1 stopped for you');

    // A game starts: paused automatically with the game's name.
    await api.drive({ kind: 'idle', seconds: 600 }, { kind: 'apps', names: ['cs2.exe'] });
    await expect(card).toHaveAttribute('data-state', 'blocked');
    await expect(reason).toHaveText('Paused — cs2.exe is running');
    await shot(page, 'game');

    // The game closes: a cool-down before starting again.
    await api.drive({ kind: 'apps', names: [] });
    await expect(card).toHaveAttribute('data-state', 'cooling');
    await expect(reason).toHaveText(/^Cooling down — cs2\.exe closed; starting again in \d+ s$/);
    await shot(page, 'cooling');

    // The GPU runs hot.
    await api.drive({ kind: 'gpu', temperatureC: 84, powerDrawW: 200, otherProcesses: [] });
    await expect(card).toHaveAttribute('data-state', 'blocked');
    await expect(reason).toHaveText('Paused — GPU at 84 °C, your limit is 80 °C');
    await shot(page, 'hot');
    await api.drive({ kind: 'gpu', temperatureC: 50, powerDrawW: 100, otherProcesses: [] });

    // The user pauses until they resume.
    await card.getByRole('button', { name: 'Pause until I resume' }).click();
    await expect(card).toHaveAttribute('data-state', 'paused');
    await expect(reason).toHaveText('Paused — until you resume');
    await shot(page, 'paused');

    // Settings: validation, then real changes.
    const app = new AppShell(page);
    await app.open('settings');
    const idle = page.locator('#setting-scheduler-idle');
    await idle.fill('300');
    await expect(page.getByText('Enter a value from 1 to 240.')).toBeVisible();
    await idle.fill('7');
    await expect(page.locator('#setting-scheduler-idle-error')).toHaveCount(0);
    const temp = page.locator('#setting-scheduler-temp');
    await temp.fill('75');
    await page.locator('#setting-scheduler-apps').fill('my game.exe');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Remove my game.exe' })).toBeVisible();
    await page.locator('#setting-scheduler-apps').fill('C:\\Games\\x.exe');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByText('Use only the program file name, without a folder')).toBeVisible();
    await page.locator('#settings-scheduler').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'settings');
    await page.locator('#setting-scheduler-apps').scrollIntoViewIfNeeded();
    await shot(page, 'settings-apps');

    // The schedule: nightly windows, a refused one, then off again so the rest of the test is not held back.
    await page.locator('#setting-scheduler-schedule-on').click();
    await page.getByRole('button', { name: 'Every night 22:00–07:00' }).click();
    await expect(page.locator('#schedule-day-6')).toHaveValue('sun');
    await page.locator('#schedule-end-0').fill('22:00');
    await expect(page.getByText('Window 1: A window cannot start and end at the same time')).toBeVisible();
    await page.locator('#schedule-end-0').fill('06:30');
    await expect(page.getByText('Window 1: A window cannot start and end at the same time')).toHaveCount(0);
    await page.getByTestId('schedule-windows').scrollIntoViewIfNeeded();
    await shot(page, 'settings-schedule');
    await expect
      .poll(async () => ((await api.call('settings:get', {})).value as { scheduler: { schedule: { end: string }[] } }).scheduler.schedule.map((w) => w.end))
      .toEqual(['06:30', '07:00', '07:00', '07:00', '07:00', '07:00', '07:00']);
    await page.locator('#setting-scheduler-schedule-on').click();
    await expect(page.getByTestId('schedule-windows')).toHaveCount(0);
    await expect.poll(async () => ((await api.call('settings:get', {})).value as { scheduler: { idleMinutes: number; maxGpuTempC: number } }).scheduler).toMatchObject({
      idleMinutes: 7,
      maxGpuTempC: 75,
    });

    // Restart the daemon on the same data folder: the pause and the settings are still there.
    api.close();
    await page.context().close();
    errors.allow(/WebSocket connection to .* failed/);
    await daemon.stop();
    daemon = await startHookedDaemon(dataDir, port);
    api = await connect(daemon);
    page = await openPage(browser, daemon, errors);
    const card2 = page.getByTestId('earning-card');
    await expect(card2).toHaveAttribute('data-state', 'paused');
    await expect(page.getByTestId('earning-reason')).toHaveText('Paused — until you resume');
    await card2.getByRole('button', { name: 'Resume now' }).click();
    await expect(page.getByTestId('earning-reason')).toHaveText(/^Waiting — you were active \d+ s ago \(starts after 7 min idle\)$/);
    await new AppShell(page).open('settings');
    await expect(page.locator('#setting-scheduler-temp')).toHaveValue('75');
    await expect(page.getByRole('button', { name: 'Remove my game.exe' })).toBeVisible();
    api.close();
    await page.context().close();
  } finally {
    await daemon.stop();
    await removeDataDir(dataDir);
  }
  expect(errors.unexpected(), 'the page logged errors').toEqual([]);
});

test('the test hook is refused when the daemon runs without HEARTH_TEST_HOOKS', async ({ hearth, shell, snapshot }) => {
  test.skip(shell !== 'browser', 'drives the daemon');
  const api = await connect(hearth.daemon!);
  const reply = await api.call('scheduler:test-drive', { steps: [{ kind: 'input' }] });
  expect(reply).toMatchObject({ ok: false, code: 'test_hooks_disabled' });
  const status = (await api.call('scheduler:status', {})).value as { testHooks: boolean; signals: { signal: string; available: boolean; detail: string }[] };
  expect(status.testHooks).toBe(false);
  // Headless here: no display and no readable input devices, and the status says so rather than "idle".
  const input = status.signals.find((s) => s.signal === 'input');
  expect(input?.detail.length).toBeGreaterThan(0);
  api.close();
  // The Overview lists what Hearth can and cannot see on this machine.
  const card = hearth.page.getByTestId('earning-card');
  await card.locator('summary').click();
  await expect(card.getByText('Keyboard and mouse')).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await snapshot(hearth.page, 'scheduler-signals');
});
