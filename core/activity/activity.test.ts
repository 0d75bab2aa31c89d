import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createFakeClock } from '../scheduler/test-support.ts';
import { combineActivity, mergeInputSources } from './combine.ts';
import { parseActiveWindow } from './fullscreen.ts';
import { createHeadlessActivity } from './headless.ts';
import { createInputDevicesSource } from './input-devices.ts';
import { createLogindSources, parseLogindHints } from './logind.ts';
import { parseTasklistCsv, programName } from './processes.ts';
import type { CommandResult, RunCommand } from './run-command.ts';
import { createSleepGapSource } from './sleep-gap.ts';
import { readPowerSupply, readThermalState, type SysfsIo } from './sysfs-power.ts';
import { unavailableSource, type ActivityEvent, type SignalSource } from './types.ts';
import { createX11IdleSource } from './x11-idle.ts';

const scriptedRun = (answers: Record<string, () => CommandResult>): { run: RunCommand; calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    run: async (file, args) => {
      calls.push([file, ...args].join(' '));
      const answer = answers[file];
      return answer ? answer() : { ok: false, missing: true, reason: `${file} is not installed` };
    },
  };
};

const fakeSysfs = (files: Record<string, string>): SysfsIo => ({
  list: async (dir) => {
    const names = new Set<string>();
    for (const path of Object.keys(files)) if (path.startsWith(`${dir}/`)) names.add(path.slice(dir.length + 1).split('/')[0]!);
    if (names.size === 0) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return [...names];
  },
  read: async (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  },
});

test('logind: hints parse, and idle/lock transitions become events', async () => {
  assert.deepEqual(parseLogindHints('IdleHint=yes\nIdleSinceHint=1700000000000000\nLockedHint=no\n'), {
    idle: true,
    idleSinceMs: 1_700_000_000_000,
    locked: false,
  });
  assert.equal(parseLogindHints('Failed to get session'), null);

  const fake = createFakeClock(1_700_000_060_000);
  let stdout = 'IdleHint=yes\nIdleSinceHint=1700000000000000\nLockedHint=no\n';
  const { run, calls } = scriptedRun({ loginctl: () => ({ ok: true, stdout }) });
  const { input, lock } = createLogindSources({ clock: fake.clock, run, sessionId: '3' });
  const events: ActivityEvent['kind'][] = [];
  const source = combineActivity({
    input,
    lock,
    sleep: unavailableSource('sleep', 'n/a'),
    power: unavailableSource('power', 'n/a'),
    thermal: unavailableSource('thermal', 'n/a'),
  });
  const off = source.subscribe((e) => events.push(e.kind));
  await fake.advance(10);
  assert.ok(calls[0]?.startsWith('loginctl show-session 3 -p IdleHint'));
  assert.equal(Math.round(source.idleSeconds() ?? -1), 60);
  assert.deepEqual(source.snapshot().lock, { available: true, via: 'logind LockedHint', value: { locked: false } });
  stdout = 'IdleHint=no\nIdleSinceHint=0\nLockedHint=yes\n';
  await fake.advance(3000);
  assert.deepEqual(events.filter((e) => e !== 'changed'), ['input', 'lock']);
  assert.equal(source.idleSeconds(), 0);
  off();
  const before = calls.length;
  await fake.advance(30_000);
  assert.equal(calls.length, before, 'no polling once nobody listens');
});

test('logind without systemd says so instead of guessing', async () => {
  const fake = createFakeClock();
  const { run } = scriptedRun({
    loginctl: () => ({ ok: false, missing: false, reason: 'loginctl failed: System has not been booted with systemd as init system (PID 1). Can\'t operate.' }),
  });
  const { input, lock } = createLogindSources({ clock: fake.clock, run, sessionId: undefined });
  input.start(() => undefined);
  lock.start(() => undefined);
  await fake.advance(10);
  const reading = input.read();
  assert.equal(reading.available, false);
  assert.match(!reading.available ? reading.reason : '', /logind did not answer: .*not been booted with systemd/);
  input.stop();
  lock.stop();
});

test('X11 idle through xprintidle: missing tool, readings, input seen as idle going down, capped extrapolation', async () => {
  const fake = createFakeClock();
  assert.match(JSON.stringify(createX11IdleSource({ clock: fake.clock, run: scriptedRun({}).run, display: undefined }).read()), /DISPLAY is not set/);

  const missing = createX11IdleSource({ clock: fake.clock, run: scriptedRun({}).run, display: ':0' });
  missing.start(() => undefined);
  await fake.advance(10);
  assert.match(JSON.stringify(missing.read()), /xprintidle is not installed \(on Debian\/Ubuntu: sudo apt install xprintidle\)/);
  missing.stop();

  let ms = 120_000;
  const source = createX11IdleSource({ clock: fake.clock, run: scriptedRun({ xprintidle: () => ({ ok: true, stdout: `${ms}\n` }) }).run, display: ':0', normalMs: 2000 });
  const events: string[] = [];
  source.start((e) => events.push(e.kind));
  await fake.advance(10);
  const r = source.read();
  assert.ok(r.available && Math.abs(r.value.idleSeconds - 120) < 0.1);
  ms = 500; // someone moved the mouse
  await fake.advance(2000);
  assert.ok(events.includes('input'));
  fake.jump(3_600_000); // the wall clock jumps: idle must not grow by an hour
  const jumped = source.read();
  assert.ok(jumped.available && jumped.value.idleSeconds < 10, `idle after a jump: ${JSON.stringify(jumped)}`);
  source.stop();
});

test('/dev/input: unreadable devices explain the input group; readable ones turn events into input', async () => {
  const fake = createFakeClock();
  let now = 0;
  const denied = createInputDevicesSource({
    monotonicNow: () => now,
    list: async () => ['event0', 'mice', 'event1'],
    open: () => {
      const s = new EventEmitter() as EventEmitter & { destroy(): void };
      s.destroy = () => undefined;
      queueMicrotask(() => s.emit('error', Object.assign(new Error('EACCES'), { code: 'EACCES' })));
      return s as never;
    },
  });
  denied.start(() => undefined);
  await fake.advance(10);
  assert.match(JSON.stringify(denied.read()), /add this user to the \\"input\\" group/);
  denied.stop();

  const streams: EventEmitter[] = [];
  const readable = createInputDevicesSource({
    monotonicNow: () => now,
    list: async () => ['event3'],
    open: () => {
      const s = new EventEmitter() as EventEmitter & { destroy(): void };
      s.destroy = () => undefined;
      streams.push(s);
      queueMicrotask(() => s.emit('open'));
      return s as never;
    },
  });
  const events: string[] = [];
  readable.start((e) => events.push(e.kind));
  await fake.advance(10);
  now = 90_000;
  const r = readable.read();
  assert.ok(r.available && r.value.idleSeconds === 90);
  streams[0]!.emit('data', Buffer.alloc(24));
  streams[0]!.emit('data', Buffer.alloc(24)); // same instant: one notice is enough
  assert.deepEqual(events.filter((e) => e === 'input'), ['input']);
  const after = readable.read();
  assert.ok(after.available && after.value.idleSeconds === 0);
  readable.stop();
});

test('power supply: mains, discharging battery, peripheral batteries, and no sysfs at all', async () => {
  const base = '/sys/class/power_supply';
  assert.deepEqual(
    await readPowerSupply(fakeSysfs({ [`${base}/AC/type`]: 'Mains', [`${base}/AC/online`]: '1', [`${base}/BAT0/type`]: 'Battery', [`${base}/BAT0/status`]: 'Charging', [`${base}/BAT0/capacity`]: '55' })),
    { onBattery: false, batteryPct: 55, hasBattery: true },
  );
  assert.deepEqual(
    await readPowerSupply(
      fakeSysfs({
        [`${base}/AC/type`]: 'Mains',
        [`${base}/AC/online`]: '0',
        [`${base}/BAT0/type`]: 'Battery',
        [`${base}/BAT0/status`]: 'Discharging',
        [`${base}/BAT0/capacity`]: '41',
        [`${base}/hidpp_battery_0/type`]: 'Battery',
        [`${base}/hidpp_battery_0/scope`]: 'Device',
        [`${base}/hidpp_battery_0/capacity`]: '5',
      }),
    ),
    { onBattery: true, batteryPct: 41, hasBattery: true },
  );
  assert.match(JSON.stringify(await readPowerSupply(fakeSysfs({}))), /cannot tell whether it runs on battery/);
});

test('thermal zones map to nominal / fair / serious / critical', async () => {
  const z = (temp: number) => ({
    '/sys/class/thermal/thermal_zone0/temp': String(temp * 1000),
    '/sys/class/thermal/thermal_zone0/trip_point_0_type': 'passive',
    '/sys/class/thermal/thermal_zone0/trip_point_0_temp': '90000',
    '/sys/class/thermal/thermal_zone0/trip_point_1_type': 'critical',
    '/sys/class/thermal/thermal_zone0/trip_point_1_temp': '105000',
  });
  const state = async (t: number) => {
    const r = await readThermalState(fakeSysfs(z(t)));
    return typeof r === 'string' ? r : r.state;
  };
  assert.equal(await state(60), 'nominal');
  assert.equal(await state(85), 'fair');
  assert.equal(await state(92), 'serious');
  assert.equal(await state(101), 'critical');
  assert.match(JSON.stringify(await readThermalState(fakeSysfs({}))), /no \/sys\/class\/thermal/i);
});

test('sleep is noticed after the fact from a gap between wall and monotonic time', async () => {
  const fake = createFakeClock();
  const source = createSleepGapSource({ clock: fake.clock, monotonicNow: fake.monotonic });
  const events: string[] = [];
  source.start((e) => events.push(e.kind));
  await fake.advance(10_000);
  assert.deepEqual(events, []);
  fake.jump(3_600_000); // wall time moved, monotonic did not: the machine slept
  await fake.advance(2000);
  assert.deepEqual(events, ['suspend', 'resume']);
  source.stop();
});

test('sleep-gap: a clock set back is not a sleep; set forward it reads as one wake-up, once, then quiet again', async () => {
  const fake = createFakeClock();
  const source = createSleepGapSource({ clock: fake.clock, monotonicNow: fake.monotonic });
  const events: string[] = [];
  source.start((e) => events.push(e.kind));
  fake.jump(-86_400_000);
  await fake.advance(10_000);
  fake.jump(-3_600_000);
  await fake.advance(10_000);
  assert.deepEqual(events, [], 'a step back is no sleep (and does not poison the next reading)');
  // Indistinguishable from a sleep: treated as one, so the scheduler counts idle afresh (safe side).
  fake.jump(86_400_000);
  await fake.advance(2000);
  await fake.advance(60_000);
  assert.deepEqual(events, ['suspend', 'resume']);
  source.stop();
});

test('several input sources act as one: least idle wins; unavailable only when all are', () => {
  const fixed = (idle: number | null, name: string): SignalSource<'input'> => ({
    signal: 'input',
    read: () => (idle === null ? { available: false, reason: `${name} is off` } : { available: true, via: name, value: { idleSeconds: idle } }),
    start: () => undefined,
    stop: () => undefined,
  });
  const merged = mergeInputSources([fixed(300, 'x11'), fixed(null, 'devinput'), fixed(20, 'logind')]);
  assert.deepEqual(merged.read(), { available: true, via: 'x11 + logind', value: { idleSeconds: 20 } });
  assert.deepEqual(mergeInputSources([fixed(null, 'a'), fixed(null, 'b')]).read(), { available: false, reason: 'a is off; b is off.' });
});

test('headless activity on a machine with nothing to read reports every signal honestly', async () => {
  const fake = createFakeClock();
  const { run } = scriptedRun({});
  const activity = createHeadlessActivity({ clock: fake.clock, env: {}, platform: 'linux', run });
  const off = activity.subscribe(() => undefined);
  await fake.advance(100);
  const snap = activity.snapshot();
  assert.equal(activity.idleSeconds(), null);
  assert.equal(snap.input.available, false);
  assert.match(!snap.input.available ? snap.input.reason : '', /DISPLAY is not set.*loginctl is not available/);
  assert.equal(snap.sleep.available, true);
  off();
  const mac = createHeadlessActivity({ clock: fake.clock, env: {}, platform: 'darwin', run }).snapshot();
  assert.match(!mac.input.available ? mac.input.reason : '', /only on Linux/);
});

test('program names and tool outputs', () => {
  assert.equal(programName('C:\\Games\\Counter-Strike\\cs2.EXE'), 'cs2');
  assert.equal(programName('/usr/games/factorio\n'), 'factorio');
  assert.deepEqual([...parseTasklistCsv('"System Idle Process","0","Services","0","8 K"\r\n"cs2.exe","4242","Console","1","1,234,567 K"\r\n')], ['system idle process', 'cs2']);
  assert.equal(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x3a00007'), '0x3a00007');
  assert.equal(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x0'), null);
});
