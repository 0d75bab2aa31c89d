import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDispatcher } from '../../common/ipc/dispatch.ts';
import { updateCalls, updateEvents, type UpdateState } from '../../common/ipc/groups/update.ts';
import type { CapabilityContext, Emit } from '../capability.ts';
import type { Ports, Updater } from '../ports.ts';
import { createFakeClock, silentLogger } from '../scheduler/test-support.ts';
import { tempDir, testPorts } from '../test-support.ts';
import { createProvider } from '../provider.ts';
import { createUpdateCapability, DAEMON_UPDATE_REASON, RESTART_POLL_MS } from './update-capability.ts';

function fakeUpdater(initial: UpdateState = { state: 'idle', checkedAt: null }) {
  let current = initial;
  const listeners = new Set<(s: UpdateState) => void>();
  const log = { checks: 0, installs: 0 };
  const updater: Updater = {
    state: () => current,
    check: async () => {
      log.checks++;
    },
    install: () => void log.installs++,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const set = (next: UpdateState) => ((current = next), listeners.forEach((l) => l(next)));
  return { updater, set, log };
}

function setup(overrides: Partial<Ports>, running = { paid: false }) {
  const fake = createFakeClock();
  const events: UpdateState[] = [];
  const emit: Emit = (event, payload) => {
    if (event === 'update:changed') events.push(updateEvents['update:changed'].parse(payload));
  };
  const ports = testPorts('/nonexistent', { clock: fake.clock, logger: silentLogger, ...overrides });
  const ctx: CapabilityContext = { ports, emit, settings: { get: () => assert.fail('no settings'), update: () => assert.fail('no settings'), subscribe: () => () => undefined, warnings: [] } };
  const capability = createUpdateCapability(ctx, { paidJobRunning: () => running.paid });
  const dispatch = createDispatcher({ calls: updateCalls, events: updateEvents }, capability.handlers);
  capability.start();
  return { fake, events, capability, dispatch, running };
}

test('the daemon has no updater: every call says so and nothing restarts', async () => {
  const { dispatch } = setup({ shell: 'daemon' });
  assert.deepEqual(await dispatch('update:status', {}), { ok: true, value: { state: 'unsupported', reason: DAEMON_UPDATE_REASON } });
  assert.deepEqual(await dispatch('update:check', {}), { ok: true, value: { state: 'unsupported', reason: DAEMON_UPDATE_REASON } });
  const restart = await dispatch('update:restart', {});
  assert.equal(restart.ok, false);
  assert.equal(!restart.ok && restart.code, 'updates_unsupported');
});

test('restart with no download is refused with what to do', async () => {
  const u = fakeUpdater();
  const { dispatch } = setup({ shell: 'desktop', updater: u.updater });
  const reply = await dispatch('update:restart', {});
  assert.equal(!reply.ok && reply.code, 'update_not_ready');
  assert.equal(u.log.installs, 0);
  await dispatch('update:check', {});
  assert.equal(u.log.checks, 1);
});

test('restart installs at once when no paid job runs, and the updater state reaches the renderer as events', async () => {
  const u = fakeUpdater();
  const { dispatch, events } = setup({ shell: 'desktop', updater: u.updater });
  u.set({ state: 'downloading', version: '0.2.0', percent: 40, bytes: 4e6, totalBytes: 1e7 });
  u.set({ state: 'ready', version: '0.2.0', waitingForJob: false });
  assert.deepEqual(events.map((e) => e.state), ['downloading', 'ready']);
  const reply = await dispatch('update:restart', {});
  assert.deepEqual(reply, { ok: true, value: { state: 'ready', version: '0.2.0', waitingForJob: false } });
  assert.equal(u.log.installs, 1);
});

test('never restarts while a paid job runs: it waits, says so, and installs once the job ends', async () => {
  const u = fakeUpdater({ state: 'ready', version: '0.2.0', waitingForJob: false });
  const { dispatch, events, fake, running, capability } = setup({ shell: 'desktop', updater: u.updater }, { paid: true });
  const reply = await dispatch('update:restart', {});
  assert.deepEqual(reply, { ok: true, value: { state: 'ready', version: '0.2.0', waitingForJob: true } });
  assert.deepEqual(events.at(-1), { state: 'ready', version: '0.2.0', waitingForJob: true });
  await fake.advance(RESTART_POLL_MS * 10);
  assert.equal(u.log.installs, 0, 'no restart during the paid job');
  assert.equal(capability.restartPending(), true);
  running.paid = false;
  await fake.advance(RESTART_POLL_MS);
  assert.equal(u.log.installs, 1);
  assert.equal(capability.restartPending(), false);
  await fake.advance(RESTART_POLL_MS * 5);
  assert.equal(u.log.installs, 1, 'installs once');
});

test('a waiting restart is dropped when the download goes away', async () => {
  const u = fakeUpdater({ state: 'ready', version: '0.2.0', waitingForJob: false });
  const { dispatch, fake, running, capability } = setup({ shell: 'desktop', updater: u.updater }, { paid: true });
  await dispatch('update:restart', {});
  u.set({ state: 'error', message: 'The update file was removed.' });
  running.paid = false;
  await fake.advance(RESTART_POLL_MS);
  assert.equal(u.log.installs, 0);
  assert.equal(capability.restartPending(), false);
});

test('hostile input to update calls is refused with a clear error and changes nothing', async () => {
  const u = fakeUpdater({ state: 'ready', version: '0.2.0', waitingForJob: false });
  const { dispatch } = setup({ shell: 'desktop', updater: u.updater }, { paid: false });
  const hostile: unknown[] = [{ force: true }, 'restart', 42, [], { __proto__: { x: 1 }, y: 2 }, { version: 'x'.repeat(1e6) }, { percent: 1e308 }, true];
  for (const channel of ['update:status', 'update:check', 'update:restart']) {
    for (const payload of hostile) {
      const reply = await dispatch(channel, payload);
      assert.equal(reply.ok, false, `${channel} ${JSON.stringify(payload)?.slice(0, 40)}`);
      assert.equal(!reply.ok && reply.code, 'bad_input');
    }
  }
  assert.equal(u.log.installs, 0);
  assert.equal(u.log.checks, 0);
  // A missing payload means {} (the calls take no input).
  assert.equal((await dispatch('update:status', undefined)).ok, true);
});

test('an updater reporting nonsense never reaches the renderer', () => {
  const bad = { state: 'downloading', version: '1', percent: 250, bytes: -1, totalBytes: 0 };
  assert.equal(updateEvents['update:changed'].safeParse(bad).success, false);
});

test('wired into the provider: the daemon answers unsupported, a desktop updater’s changes reach onEvent, hostile input is refused', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const daemon = await createProvider(testPorts(dir), { devnet: 'off' });
    try {
      assert.deepEqual(await daemon.dispatch('update:status', {}), { ok: true, value: { state: 'unsupported', reason: DAEMON_UPDATE_REASON } });
      const hostile = await daemon.dispatch('update:restart', { now: 'x'.repeat(100_000) });
      assert.equal(!hostile.ok && hostile.code, 'bad_input');
    } finally {
      await daemon.stop();
    }
    const u = fakeUpdater();
    const desktop = await createProvider(testPorts(dir, { shell: 'desktop', updater: u.updater }), { devnet: 'off' });
    try {
      const seen: unknown[] = [];
      desktop.onEvent((channel, payload) => channel === 'update:changed' && seen.push(payload));
      u.set({ state: 'downloading', version: '0.2.0', percent: 5, bytes: 1, totalBytes: 20 });
      u.set({ state: 'downloading', version: '0.2.0', percent: 500, bytes: 1, totalBytes: 20 });
      assert.deepEqual(seen, [{ state: 'downloading', version: '0.2.0', percent: 5, bytes: 1, totalBytes: 20 }], 'an invalid state from the shell is dropped');
      u.set({ state: 'ready', version: '0.2.0', waitingForJob: false });
      assert.deepEqual(await desktop.dispatch('update:restart', {}), { ok: true, value: { state: 'ready', version: '0.2.0', waitingForJob: false } });
      assert.equal(u.log.installs, 1, 'nothing paid runs in a fresh provider, so it restarts at once');
    } finally {
      await desktop.stop();
    }
  } finally {
    await cleanup();
  }
});
