import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeClock } from '../../core/scheduler/test-support.ts';
import type { SysfsIo } from '../../core/activity/sysfs-power.ts';
import { createElectronActivity } from './activity.ts';
import { FakePowerMonitor as FakeMonitor } from '../fake-electron.ts';

/** /sys/class/power_supply as a map of files; an empty map is a system without one. */
function fakeSysfs(files: Map<string, string>): SysfsIo {
  return {
    list: async (dir) => {
      const names = new Set([...files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1).split('/')[0]!));
      if (names.size === 0) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return [...names];
    },
    read: async (path) => {
      const text = files.get(path);
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
  };
}
const base = '/sys/class/power_supply';

test('powerMonitor adapter: idle polling sees input at 100 ms while urgent; lock, sleep and power events pass through', async () => {
  const fake = createFakeClock();
  const monitor = new FakeMonitor();
  const activity = createElectronActivity(monitor, fake.clock, 'darwin');
  const events: string[] = [];
  const off = activity.subscribe((e) => events.push(e.kind));
  await fake.advance(10);
  assert.equal(activity.idleSeconds(), 400);
  activity.setUrgent?.(true);
  monitor.idle = 0;
  await fake.advance(100);
  assert.deepEqual(events, ['input']);
  monitor.idleState = 'locked';
  await fake.advance(100);
  monitor.emit('suspend');
  monitor.emit('resume');
  monitor.emit('on-battery');
  monitor.emit('thermal-state-change', { state: 'critical', preventDefault: () => undefined, defaultPrevented: false });
  assert.deepEqual(events, ['input', 'lock', 'suspend', 'resume', 'power', 'thermal']);
  const snap = activity.snapshot();
  assert.deepEqual(snap.lock, { available: true, via: 'Electron powerMonitor', value: { locked: true } });
  assert.deepEqual(snap.power, { available: true, via: 'Electron powerMonitor', value: { onBattery: true, batteryPct: null } });
  assert.deepEqual(snap.thermal, { available: true, via: 'Electron powerMonitor', value: { state: 'serious' } });
  off();
  for (const event of ['suspend', 'lock-screen', 'on-ac', 'on-battery', 'thermal-state-change']) assert.equal(monitor.listenerCount(event), 0, event);
  const windows = createElectronActivity(monitor, fake.clock, 'win32').snapshot();
  assert.match(!windows.thermal.available ? windows.thermal.reason : '', /Windows does not report a thermal state/);
});

test('Linux: on-ac/on-battery never fire there, so unplugging and plugging in are seen by polling sysfs', async () => {
  const fake = createFakeClock();
  const monitor = new FakeMonitor();
  const files = new Map([
    [`${base}/AC/type`, 'Mains'],
    [`${base}/AC/online`, '1'],
    [`${base}/BAT0/type`, 'Battery'],
    [`${base}/BAT0/status`, 'Charging'],
    [`${base}/BAT0/capacity`, '80'],
  ]);
  const activity = createElectronActivity(monitor, fake.clock, 'linux', fakeSysfs(files));
  const power: unknown[] = [];
  const off = activity.subscribe((e) => e.kind === 'power' && power.push([e.onBattery, e.batteryPct]));
  await fake.advance(10);
  assert.deepEqual(activity.snapshot().power, { available: true, via: 'battery (sysfs)', value: { onBattery: false, batteryPct: 80 } });
  assert.equal(monitor.listenerCount('on-battery'), 0, 'no listener waits for an event Linux never sends');

  files.set(`${base}/AC/online`, '0');
  files.set(`${base}/BAT0/status`, 'Discharging');
  files.set(`${base}/BAT0/capacity`, '79');
  await fake.advance(10_000);
  assert.deepEqual(activity.snapshot().power, { available: true, via: 'battery (sysfs)', value: { onBattery: true, batteryPct: 79 } });
  activity.setUrgent?.(true);
  files.set(`${base}/AC/online`, '1');
  files.set(`${base}/BAT0/status`, 'Charging');
  await fake.advance(2000);
  assert.deepEqual(power, [[false, 80], [true, 79], [false, 79]], 'each change is an event, seen within 2 s while a job runs');
  off();
  files.set(`${base}/AC/online`, '0');
  await fake.advance(60_000);
  assert.equal(power.length, 3, 'polling stops with the last subscriber');
});

test('Linux without a readable power supply falls back to polling powerMonitor.isOnBatteryPower', async () => {
  const fake = createFakeClock();
  const monitor = new FakeMonitor();
  const activity = createElectronActivity(monitor, fake.clock, 'linux', fakeSysfs(new Map()));
  const power: boolean[] = [];
  activity.subscribe((e) => e.kind === 'power' && power.push(e.onBattery));
  await fake.advance(10);
  monitor.battery = true;
  await fake.advance(10_000);
  assert.deepEqual(power, [true]);
  assert.deepEqual(activity.snapshot().power, { available: true, via: 'Electron powerMonitor (no readable sysfs power supply)', value: { onBattery: true, batteryPct: null } });
});
