import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { marketStatusOf, WEI } from '../core/notifications/fixtures.ts';
import { silentLogger } from '../core/scheduler/test-support.ts';
import type * as Electron from 'electron';
import { startTray, type TrayEdges } from './tray.ts';
import { clickItem, fakeCore, fakeTrayEdges } from './test/fake-electron.ts';
import { schedulerOf } from './test/statuses.ts';

// Compile-time: the real electron module fits the edges the fakes implement.
export const electronFits = (electron: Pick<typeof Electron, 'Tray' | 'Menu' | 'nativeTheme'>): TrayEdges => electron;

const earnings = (todayWei: bigint) => ({ todayWei: todayWei.toString(), weekWei: '0', monthWei: '0', days: [], electricityMonthWei: null });

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function setup(platform: NodeJS.Platform = 'linux', dark = false) {
  const electron = fakeTrayEdges(dark);
  let paused = false;
  let todayWei = 31n * WEI / 10_000n;
  const core = fakeCore({
    'scheduler:status': () => schedulerOf(paused ? { state: 'paused', reason: 'Paused by you for an hour' } : {}),
    'market:status': () => marketStatusOf(),
    'market:earnings': () => earnings(todayWei),
    'scheduler:pause': () => ((paused = true), schedulerOf({ state: 'paused', reason: 'Paused by you for an hour' })),
    'scheduler:resume': () => ((paused = false), schedulerOf()),
  });
  const opened: string[] = [];
  const tray = startTray(electron.edges, { iconDir: '/app/tray', platform, core: core.core, logger: silentLogger, open: () => opened.push('open'), quit: () => opened.push('quit') });
  const menu = () => electron.menus.at(-1)!.template;
  return { electron, core, tray, opened, menu, setToday: (wei: bigint) => (todayWei = wei) };
}

test('the tray shows core state, icon for the task bar, and today’s earnings', async () => {
  const { electron, tray, menu } = setup('linux', true);
  await settle();
  const icon = electron.trays[0]!;
  assert.equal(icon.image, join('/app/tray', 'tray-waiting-dark.png'));
  assert.equal(icon.tooltip, 'Hearth: Waiting');
  assert.equal(icon.menu, electron.menus.at(-1), 'the menu built is the one set');
  assert.deepEqual(menu().slice(0, 3).map((i) => i.label), ['Hearth: Waiting', 'Waiting for you to be away: idle 2 min of 5 min', 'Earned today: 0.0031 HRTH']);
  electron.nativeTheme.shouldUseDarkColors = false;
  electron.nativeTheme.emit('updated');
  assert.equal(icon.image, join('/app/tray', 'tray-waiting-light.png'), 'follows the OS theme');
  tray.destroy();
  assert.equal(icon.destroyed, true);
  assert.equal(electron.nativeTheme.listenerCount('updated'), 0);
});

test('menu actions go through core’s dispatch with valid payloads, and the menu follows', async () => {
  const { core, menu, opened } = setup();
  await settle();
  clickItem(menu(), 'pause-hour');
  await settle();
  assert.deepEqual(core.calls.at(-1), { channel: 'scheduler:pause', payload: { duration: 'hour', finishCurrent: false } });
  assert.equal(menu()[0]!.label, 'Hearth: Paused');
  clickItem(menu(), 'resume');
  await settle();
  assert.deepEqual(core.calls.at(-1), { channel: 'scheduler:resume', payload: {} });
  clickItem(menu(), 'pause-tomorrow');
  await settle();
  assert.deepEqual(core.calls.at(-1), { channel: 'scheduler:pause', payload: { duration: 'tomorrow', finishCurrent: false } });
  clickItem(menu(), 'open');
  clickItem(menu(), 'quit');
  assert.deepEqual(opened, ['open', 'quit']);
});

test('events from core move the tray: earning while a paid job runs, attention when the wallet locks; earnings re-read on a payment', async () => {
  const { electron, core, menu, setToday, opened } = setup('darwin');
  await settle();
  const icon = electron.trays[0]!;
  assert.equal(icon.image, join('/app/tray', 'tray-waitingTemplate.png'));
  core.emit('market:status', marketStatusOf({ state: 'working', reason: 'Running job 12 for 0x7099…' }));
  assert.equal(icon.image, join('/app/tray', 'tray-earningTemplate.png'));
  assert.equal(menu()[1]!.label, 'Running job 12 for 0x7099…');
  const reads = () => core.calls.filter((c) => c.channel === 'market:earnings').length;
  const before = reads();
  setToday(WEI);
  core.emit('market:status', marketStatusOf({ state: 'waiting', jobsPaid: 1 }));
  await settle();
  assert.equal(reads(), before + 1);
  assert.equal(menu()[2]!.label, 'Earned today: 1 HRTH');
  core.emit('market:status', marketStatusOf({ state: 'locked', reason: 'Unlock the wallet: 2 jobs wait.', jobsPaid: 1, waitingForUnlock: 2 }));
  assert.equal(icon.image, join('/app/tray', 'tray-attentionTemplate.png'));
  assert.equal(reads(), before + 1, 'no re-read without a payment');
  core.emit('market:status', { state: 'nonsense' });
  assert.equal(icon.image, join('/app/tray', 'tray-attentionTemplate.png'), 'an invalid event changes nothing');
  icon.emit('click');
  assert.deepEqual(opened, [], 'on macOS a click opens the menu, not the window');
});

test('a click on the icon opens Hearth on Windows and Linux', async () => {
  const { electron, opened } = setup('win32');
  await settle();
  electron.trays[0]!.emit('click');
  assert.deepEqual(opened, ['open']);
});

test('Windows: the icon follows the task bar (the system mode), not the apps’ mode', async () => {
  const { electron } = setup('win32', false);
  await settle();
  const icon = electron.trays[0]!;
  electron.nativeTheme.shouldUseDarkColors = true;
  electron.nativeTheme.emit('updated');
  assert.equal(icon.image, join('/app/tray', 'tray-waiting-light.png'), 'dark apps on a light task bar');
  electron.nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = true;
  electron.nativeTheme.emit('updated');
  assert.equal(icon.image, join('/app/tray', 'tray-waiting-dark.png'));
});

test('core refusing a call (ledger still opening) leaves the tray usable; today is read again once it answers, and on a new day', async () => {
  const electron = fakeTrayEdges();
  const answers: Record<string, (payload: unknown) => unknown> = { 'scheduler:status': () => schedulerOf() };
  const core = fakeCore(answers);
  let now = new Date(2026, 0, 5, 23, 59).getTime();
  startTray(electron.edges, { iconDir: '/t', platform: 'linux', core: core.core, logger: silentLogger, open: () => undefined, quit: () => undefined, now: () => now });
  await settle();
  const menu = () => electron.menus.at(-1)!.template;
  assert.equal(menu()[2]!.label, 'Earned today: not known yet');
  assert.equal(menu()[0]!.label, 'Hearth: Waiting');
  answers['market:earnings'] = () => earnings(5n * WEI);
  core.emit('market:status', marketStatusOf());
  await settle();
  assert.equal(menu()[2]!.label, 'Earned today: 5 HRTH');
  answers['market:earnings'] = () => earnings(0n);
  core.emit('market:status', marketStatusOf({ reason: 'still waiting' }));
  await settle();
  assert.equal(menu()[2]!.label, 'Earned today: 5 HRTH', 'same day, no payment: not read again');
  now += 2 * 60_000;
  core.emit('market:status', marketStatusOf({ reason: 'after midnight' }));
  await settle();
  assert.equal(menu()[2]!.label, 'Earned today: 0 HRTH', 'a new day starts at zero');
});
