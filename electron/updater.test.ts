import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { AppUpdater, Logger as UpdaterLogger, UpdateCheckResult, UpdateInfo } from 'electron-updater';
import { updateState, type UpdateState } from '../common/ipc/groups/update.ts';
import { createFakeClock, silentLogger } from '../core/scheduler/test-support.ts';
import { CHECK_EVERY_MS, createElectronUpdater, FIRST_CHECK_MS, UNPACKAGED_REASON, type UpdaterEdge } from './updater.ts';

// Compile-time: electron-updater's real AppUpdater fits the edge the fake implements.
export const appUpdaterFits = (updater: AppUpdater): UpdaterEdge => updater;

const info = (version: string): UpdateInfo => ({ version, files: [], path: '', sha512: '', releaseDate: '2026-01-05' });

class FakeAppUpdater extends EventEmitter implements UpdaterEdge {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: UpdaterLogger | null = null;
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  /** What the next check does: find a version, find nothing, or throw. */
  next: { kind: 'found'; version: string } | { kind: 'none' } | { kind: 'throw'; message: string } = { kind: 'none' };
  async checkForUpdates(): Promise<UpdateCheckResult | null> {
    this.checks++;
    this.emit('checking-for-update');
    const next = this.next;
    if (next.kind === 'throw') throw new Error(next.message);
    if (next.kind === 'none') {
      this.emit('update-not-available', info('0.1.0'));
      return null;
    }
    this.emit('update-available', info(next.version));
    return null;
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

function setup(packaged = true) {
  const fake = createFakeClock();
  const updater = new FakeAppUpdater();
  let loads = 0;
  const port = createElectronUpdater({ packaged, clock: fake.clock, logger: silentLogger, load: async () => (loads++, updater) });
  const seen: UpdateState[] = [];
  port.subscribe((s) => seen.push(updateState.parse(s)));
  return { fake, updater, port, seen, loads: () => loads };
}

test('a development run does not update itself and never loads electron-updater', async () => {
  const { port, fake, loads } = setup(false);
  assert.deepEqual(port.state(), { state: 'unsupported', reason: UNPACKAGED_REASON });
  await port.check();
  await fake.advance(CHECK_EVERY_MS * 2);
  assert.equal(loads(), 0);
});

test('checks shortly after start and every few hours; nothing new leaves it idle with the time', async () => {
  const { port, fake, updater, seen } = setup();
  await fake.advance(FIRST_CHECK_MS);
  assert.equal(updater.checks, 1);
  assert.equal(updater.autoDownload, true);
  assert.deepEqual(seen.map((s) => s.state), ['checking', 'idle']);
  assert.deepEqual(port.state(), { state: 'idle', checkedAt: fake.clock.now() });
  await fake.advance(CHECK_EVERY_MS);
  assert.equal(updater.checks, 2);
  port.stop();
  await fake.advance(CHECK_EVERY_MS * 3);
  assert.equal(updater.checks, 2, 'stopped');
});

test('found → downloading with progress (whole percents only) → ready → install quits silently and relaunches', async () => {
  const { port, updater, seen } = setup();
  updater.next = { kind: 'found', version: '0.2.0' };
  await port.check();
  for (const percent of [0.5, 0.9, 12.2, 12.7, 55, 100]) {
    updater.emit('download-progress', { percent, transferred: percent * 1e5, total: 1e7, delta: 1, bytesPerSecond: 1e6 });
  }
  const downloading = seen.filter((s) => s.state === 'downloading');
  assert.deepEqual(downloading.map((s) => s.state === 'downloading' && Math.floor(s.percent)), [0, 12, 55, 100]);
  assert.deepEqual(downloading[1], { state: 'downloading', version: '0.2.0', percent: 12.2, bytes: 1.22e6, totalBytes: 1e7 });
  await port.check();
  assert.equal(updater.checks, 1, 'a download in progress is not started over');
  port.install();
  assert.deepEqual(updater.installs, [], 'nothing to install before the download ends');
  updater.emit('update-downloaded', { ...info('0.2.0'), downloadedFile: '/tmp/hearth-0.2.0.AppImage' });
  assert.deepEqual(port.state(), { state: 'ready', version: '0.2.0', waitingForJob: false });
  port.install();
  assert.deepEqual(updater.installs, [[true, true]]);
});

test('errors become a short sentence with what happens next, and the next check can succeed', async () => {
  const { port, updater } = setup();
  updater.next = { kind: 'throw', message: 'net::ERR_NAME_NOT_RESOLVED\n<html>' + 'x'.repeat(10_000) };
  await port.check();
  const state = port.state();
  assert.equal(state.state, 'error');
  assert.ok(state.state === 'error' && state.message.length < 400 && /ERR_NAME_NOT_RESOLVED/.test(state.message) && !state.message.includes('<html>'));
  assert.equal(updateState.safeParse(state).success, true);
  updater.emit('error', new Error('sha512 checksum mismatch'));
  assert.match(port.state().state === 'error' ? JSON.stringify(port.state()) : '', /checksum mismatch/);
  updater.next = { kind: 'none' };
  await port.check();
  assert.equal(port.state().state, 'idle');
});

test('electron-updater failing to load is an error state, not a crash, and is retried', async () => {
  const fake = createFakeClock();
  let attempts = 0;
  const port = createElectronUpdater({
    packaged: true,
    clock: fake.clock,
    logger: silentLogger,
    load: async () => {
      attempts++;
      throw new Error('Cannot find module electron-updater');
    },
  });
  await port.check();
  assert.equal(port.state().state, 'error');
  await port.check();
  assert.equal(attempts, 2);
});
