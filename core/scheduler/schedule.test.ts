import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMoment, inSchedule, nextLocalMidnight, nextWindowStart } from './schedule.ts';
import { clearedText, duration } from './reasons.ts';
import { schedulerSettings, scheduleWindow } from '../../common/scheduler.ts';

process.env.TZ = 'UTC';
const at = (d: number, h: number, m = 0) => Date.UTC(2026, 0, d, h, m); // 2026-01-05 is a Monday

test('windows, including ones that run past midnight into the next day', () => {
  const windows = [
    { day: 'mon' as const, start: '22:00', end: '06:00' },
    { day: 'sat' as const, start: '09:00', end: '17:30' },
  ];
  assert.equal(inSchedule(windows, at(5, 21, 59)), false);
  assert.equal(inSchedule(windows, at(5, 22, 0)), true);
  assert.equal(inSchedule(windows, at(6, 5, 59)), true, 'Tuesday early morning belongs to Monday night');
  assert.equal(inSchedule(windows, at(6, 6, 0)), false);
  assert.equal(inSchedule(windows, at(10, 12)), true);
  assert.equal(inSchedule(windows, at(10, 17, 30)), false, 'the end is exclusive');
  assert.equal(inSchedule([], at(5, 12)), false);
  assert.equal(nextWindowStart(windows, at(6, 7)), at(10, 9));
  assert.equal(nextWindowStart(windows, at(10, 18)), at(12, 22));
  assert.equal(nextWindowStart([], at(5, 1)), null);
  assert.equal(describeMoment(at(5, 22), at(5, 12)), 'today 22:00');
  assert.equal(describeMoment(at(6, 7, 30), at(5, 12)), 'tomorrow 07:30');
  assert.equal(describeMoment(at(10, 9), at(5, 12)), 'Sat 09:00');
  assert.equal(nextLocalMidnight(at(5, 12)), at(6, 0));
});

test('settings validation: sane defaults, refused nonsense', () => {
  const d = schedulerSettings.parse({});
  assert.equal(d.idleMinutes, 5);
  assert.equal(d.maxGpuTempC, 80);
  assert.equal(d.battery, 'never');
  assert.ok(d.blockApps.includes('cs2.exe'));
  assert.deepEqual(d.pause, { kind: 'none' });
  assert.equal(schedulerSettings.safeParse({ idleMinutes: 0 }).success, false);
  assert.equal(schedulerSettings.safeParse({ maxGpuTempC: 120 }).success, false);
  assert.equal(schedulerSettings.safeParse({ blockApps: ['C:\\Games\\x.exe'] }).success, false);
  assert.equal(scheduleWindow.safeParse({ day: 'mon', start: '25:00', end: '06:00' }).success, false);
  assert.equal(scheduleWindow.safeParse({ day: 'mon', start: '06:00', end: '06:00' }).success, false);
});

test('reason text helpers', () => {
  assert.equal(duration(40), '40 s');
  assert.equal(duration(300), '5 min');
  assert.equal(duration(330), '5 min 30 s');
  assert.equal(duration(3900), '1 h 5 min');
  assert.equal(clearedText({ kind: 'app', message: 'Paused — cs2.exe, dota2 are running' }), 'cs2.exe, dota2 closed');
});
