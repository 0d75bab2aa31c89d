import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createFakeClock } from '../../core/scheduler/test-support.ts';
import { createElectronActivity } from './activity.ts';

function fakeMonitor() {
  const m = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const state = { idle: 400, idleState: 'idle' as 'active' | 'idle' | 'locked' | 'unknown', battery: false };
  Object.assign(m, {
    getSystemIdleTime: () => state.idle,
    getSystemIdleState: () => state.idleState,
    isOnBatteryPower: () => state.battery,
    getCurrentThermalState: () => 'serious',
  });
  return { monitor: m as never, state, emitter: m };
}

test('powerMonitor adapter: idle polling sees input at 100 ms while urgent; lock, sleep and power events pass through', async () => {
  const fake = createFakeClock();
  const { monitor, state, emitter } = fakeMonitor();
  const activity = createElectronActivity(monitor, fake.clock, 'darwin');
  const events: string[] = [];
  const off = activity.subscribe((e) => events.push(e.kind));
  await fake.advance(10);
  assert.equal(activity.idleSeconds(), 400);
  activity.setUrgent?.(true);
  state.idle = 0;
  await fake.advance(100);
  assert.deepEqual(events, ['input']);
  state.idleState = 'locked';
  await fake.advance(100);
  emitter.emit('suspend');
  emitter.emit('resume');
  emitter.emit('on-battery');
  emitter.emit('thermal-state-change', { state: 'critical' });
  assert.deepEqual(events, ['input', 'lock', 'suspend', 'resume', 'power', 'thermal']);
  const snap = activity.snapshot();
  assert.deepEqual(snap.lock, { available: true, via: 'Electron powerMonitor', value: { locked: true } });
  assert.deepEqual(snap.power, { available: true, via: 'Electron powerMonitor', value: { onBattery: true, batteryPct: null } });
  assert.deepEqual(snap.thermal, { available: true, via: 'Electron powerMonitor', value: { state: 'serious' } });
  off();
  assert.equal(emitter.listenerCount('suspend'), 0);
  assert.equal(emitter.listenerCount('lock-screen'), 0);
  const windows = createElectronActivity(monitor, fake.clock, 'win32').snapshot();
  assert.match(!windows.thermal.available ? windows.thermal.reason : '', /Windows does not report a thermal state/);
});
