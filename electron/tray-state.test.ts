import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marketStatusOf } from '../core/notifications/fixtures.ts';
import { shortLine, trayMenuTemplate, type TrayActions } from './tray-menu.ts';
import { trayIconFile, trayViewOf, TRAY_STATES } from './tray-state.ts';
import { clickItem } from './test/fake-electron.ts';
import { schedulerOf } from './test/statuses.ts';

const paidJob = { id: 'j1', kind: 'paid' as const, label: 'paddleocr-det', startedAt: 0, deviceId: null };

test('tray state from core: paused wins, then what needs the user, then earning, else waiting', () => {
  const locked = marketStatusOf({ state: 'locked', reason: 'Unlock the wallet so Hearth can claim jobs.', waitingForUnlock: 2 });
  assert.deepEqual(trayViewOf(null, null), { state: 'waiting', title: 'Waiting', reason: 'Hearth is starting.' });
  assert.deepEqual(trayViewOf(schedulerOf({ state: 'paused', reason: 'Paused by you until 14:00' }), locked), { state: 'paused', title: 'Paused', reason: 'Paused by you until 14:00' });
  assert.deepEqual(trayViewOf(schedulerOf(), locked), { state: 'attention', title: 'Needs attention', reason: 'Unlock the wallet so Hearth can claim jobs.' });
  for (const state of ['no-network', 'no-contracts', 'no-wallet', 'unregistered'] as const) {
    assert.equal(trayViewOf(schedulerOf(), marketStatusOf({ state })).state, 'attention', state);
  }
  assert.equal(trayViewOf(schedulerOf(), marketStatusOf({ state: 'unregistered', onboarding: { wallet: 'done', provider: 'skipped', rules: 'done' } })).state, 'waiting', 'a user who chose practice only is not nagged');
  const differs = marketStatusOf({ reconciliation: { at: 1, ok: false, ledgerWei: '1', chainWei: '2', message: 'The ledger and the chain differ by 1 wei.' } });
  assert.deepEqual(trayViewOf(schedulerOf(), differs).reason, 'The ledger and the chain differ by 1 wei.');
  assert.deepEqual(trayViewOf(schedulerOf({ state: 'running', reason: 'Running a paid job' }), marketStatusOf({ state: 'working', reason: 'Running job 12' })), { state: 'earning', title: 'Earning', reason: 'Running job 12' });
  assert.equal(trayViewOf(schedulerOf({ state: 'running', job: paidJob, reason: 'Running a paid job' }), null).state, 'earning');
  assert.equal(trayViewOf(schedulerOf({ state: 'running', job: { ...paidJob, kind: 'practice' } }), marketStatusOf({ state: 'off' })).state, 'waiting', 'practice work earns nothing');
  assert.deepEqual(trayViewOf(schedulerOf({ state: 'blocked', reason: 'Paused while game.exe runs' }), marketStatusOf()).reason, 'Paused while game.exe runs');
});

test('icons: template images on macOS, a drawing per task bar colour elsewhere, one per state', () => {
  assert.equal(trayIconFile('earning', 'darwin', true), 'tray-earningTemplate.png');
  assert.equal(trayIconFile('paused', 'win32', true), 'tray-paused-dark.png');
  assert.equal(trayIconFile('attention', 'linux', false), 'tray-attention-light.png');
  assert.equal(new Set(TRAY_STATES.map((s) => trayIconFile(s, 'linux', false))).size, 4);
});

function recorder() {
  const done: string[] = [];
  const actions: TrayActions = {
    pauseHour: () => done.push('pauseHour'),
    pauseTomorrow: () => done.push('pauseTomorrow'),
    resume: () => done.push('resume'),
    open: () => done.push('open'),
    quit: () => done.push('quit'),
  };
  return { done, actions };
}

test('the menu: state and reason as disabled lines, today, pause choices or resume, open, quit', () => {
  const { done, actions } = recorder();
  const menu = trayMenuTemplate({ state: 'earning', title: 'Earning', reason: 'Running job 12' }, '0.0031 HRTH', actions);
  assert.deepEqual(
    menu.map((i) => i.label ?? i.type),
    ['Hearth: Earning', 'Running job 12', 'Earned today: 0.0031 HRTH', 'separator', 'Pause for 1 hour', 'Pause until tomorrow', 'separator', 'Open Hearth', 'Quit Hearth'],
  );
  assert.deepEqual(menu.filter((i) => i.enabled === false).map((i) => i.id), ['state', 'reason', 'today']);
  for (const id of ['pause-hour', 'pause-tomorrow', 'open', 'quit']) clickItem(menu, id);
  assert.deepEqual(done, ['pauseHour', 'pauseTomorrow', 'open', 'quit']);
  const paused = trayMenuTemplate({ state: 'paused', title: 'Paused', reason: 'Paused by you' }, null, actions);
  assert.deepEqual(paused.filter((i) => i.click).map((i) => i.label), ['Resume', 'Open Hearth', 'Quit Hearth']);
  assert.equal(paused.find((i) => i.id === 'today')?.label, 'Earned today: not known yet');
});

test('long reasons are cut at a word so the menu stays narrow', () => {
  const long = 'Waiting for you to be away long enough: idle 2 min of 5 min, and the GPU is being used by another program right now';
  const line = shortLine(long);
  assert.ok(line.length <= 70, line);
  assert.ok(line.endsWith('…'));
  assert.ok(long.startsWith(line.slice(0, -1)));
  assert.equal(shortLine('short\n  and   plain'), 'short and plain');
});
