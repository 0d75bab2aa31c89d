/**
 * Which calls the contract fuzzer may let through with input the schema accepts.
 *
 * The fuzzer checks that *refused* calls change nothing, so it must know which calls it may
 * let run. The rule: a call is sent input its schema accepts only when it is listed here, as
 * a read that changes no state and reaches nothing outside the daemon. Every other call
 * (creating, importing or unlocking a wallet, settings, sends and every chain write, adding a
 * network (which would fetch the URLs it is given), pausing the scheduler, refreshing
 * hardware, benchmarks, telemetry rate, update check and restart, reconcile, test funds,
 * opening a console) gets only input the schema refuses, checked before sending with the
 * schema the daemon uses. A call added to the contract later is therefore refused-only until
 * someone decides it is a plain read and lists it here.
 */
export const READ_ONLY_CALLS: ReadonlySet<string> = new Set([
  'app:status',
  'settings:get',
  'hardware:list',
  'hardware:history',
  'hardware:benchmark-status',
  'wallet:status',
  'wallet:preview-send',
  'chain:status',
  'chain:networks',
  'chain:transactions',
  'scheduler:status',
  'models:list',
  'worker:status',
  'market:status',
  'market:jobs',
  'market:job',
  'market:earnings',
  'market:preview-register',
  'positions:get',
  'positions:preview',
  'positions:history',
  'update:status',
  // These act on an open console session; the fuzzer never opens one (console:open is
  // refused-only and the fuzzed daemon runs without --console), so there is none to touch.
  'console:input',
  'console:resize',
  'console:ack',
  'console:close',
]);

/** True when the fuzzer sends this call only input its schema refuses. */
export const refusedOnly = (channel: string): boolean => !READ_ONLY_CALLS.has(channel);
