/**
 * Wall-clock time since `at`, for "has enough time passed to do it again?" checks. A clock
 * set back (NTP, a user fixing the time, a dead RTC battery) makes `now - at` negative for
 * as long as the step: read literally, periodic work (the chain poll, the market loop,
 * reconciliation) would stop until the clock caught up, a day for a day. A negative gap
 * counts as long ago instead, so the work runs at once and its mark is set anew.
 */
export function elapsedSince(now: number, at: number): number {
  const gap = now - at;
  return gap < 0 ? Number.POSITIVE_INFINITY : gap;
}
