import { WEEKDAYS, type ScheduleWindow, type Weekday } from '../../common/scheduler.ts';

const DAY_MS = 86_400_000;
const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
/** Monday-first weekday of a local date. */
const weekdayOf = (d: Date): Weekday => WEEKDAYS[(d.getDay() + 6) % 7]!;

/** Local midnight at or before `at` (DST-safe: built from the local date parts). */
function localMidnight(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Concrete [start, end) spans (ms) of the windows on the local day starting at `midnight`. */
function spansForDay(windows: readonly ScheduleWindow[], midnight: number): [number, number][] {
  const day = weekdayOf(new Date(midnight));
  const d = new Date(midnight);
  const at = (mins: number, plusDays = 0): number =>
    new Date(d.getFullYear(), d.getMonth(), d.getDate() + plusDays, Math.floor(mins / 60), mins % 60).getTime();
  return windows
    .filter((w) => w.day === day)
    .map((w) => {
      const s = minutes(w.start);
      const e = minutes(w.end);
      // An end before the start runs past midnight into the next day.
      return [at(s), e > s ? at(e) : at(e, 1)];
    });
}

/** True when `at` (local time of this machine) falls in one of the windows. */
export function inSchedule(windows: readonly ScheduleWindow[], at: number): boolean {
  const today = localMidnight(at);
  // Yesterday's windows may run past midnight into today.
  for (const midnight of [localMidnight(today - DAY_MS / 2), today]) {
    for (const [s, e] of spansForDay(windows, midnight)) if (at >= s && at < e) return true;
  }
  return false;
}

/** Start of the next window after `at`, within a week; null when there are no windows. */
export function nextWindowStart(windows: readonly ScheduleWindow[], at: number): number | null {
  let best: number | null = null;
  for (let i = 0; i <= 7; i++) {
    const midnight = localMidnight(localMidnight(at) + i * DAY_MS + DAY_MS / 2);
    for (const [s] of spansForDay(windows, midnight)) if (s > at && (best === null || s < best)) best = s;
    if (best !== null) return best;
  }
  return best;
}

/** "Mon 22:00", "today 22:00" or "tomorrow 07:30" in local time. */
export function describeMoment(at: number, now: number): string {
  const d = new Date(at);
  const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const days = Math.round((localMidnight(at) - localMidnight(now)) / DAY_MS);
  if (days === 0) return `today ${hhmm}`;
  if (days === 1) return `tomorrow ${hhmm}`;
  const name = weekdayOf(d);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${hhmm}`;
}

/** The next local midnight after `at` ("pause until tomorrow"). */
export function nextLocalMidnight(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}
