import type { Clock } from '../ports.ts';
import type { ActivityListener, ActivitySnapshot, ActivitySource, ThermalState } from './types.ts';

/** One step of a scripted activity trace (tests and the daemon's test hook). */
export type ScriptStep =
  | { kind: 'input' }
  | { kind: 'idle'; seconds: number }
  | { kind: 'lock' | 'unlock' | 'suspend' | 'resume' }
  | { kind: 'power'; onBattery: boolean; batteryPct: number | null }
  | { kind: 'thermal'; state: ThermalState }
  | { kind: 'input-unavailable'; reason: string };

/**
 * An activity source driven by a script instead of the OS. Idle time is counted from the
 * last scripted input on `monotonicNow` (the injected clock's wall time unless given), so
 * fake-time tests replay traces exactly.
 */
export function createScriptedActivity(clock: Clock, initialIdleSeconds = 0, monotonicNow: () => number = () => clock.now()) {
  const listeners = new Set<ActivityListener>();
  const mono = monotonicNow;
  let lastInputAt = mono() - initialIdleSeconds * 1000;
  let inputUnavailable: string | null = null;
  let locked = false;
  let asleep = false;
  let power = { onBattery: false, batteryPct: null as number | null };
  let thermal: ThermalState = 'nominal';
  let urgent = false;
  const emit: ActivityListener = (event) => {
    for (const l of [...listeners]) l(event);
  };
  const source: ActivitySource = {
    idleSeconds: () => (inputUnavailable ? null : Math.max(0, mono() - lastInputAt) / 1000),
    snapshot(): ActivitySnapshot {
      const via = 'scripted test source';
      return {
        input: inputUnavailable ? { available: false, reason: inputUnavailable } : { available: true, via, value: { idleSeconds: source.idleSeconds() ?? 0 } },
        lock: { available: true, via, value: { locked } },
        sleep: { available: true, via, value: { asleep } },
        power: { available: true, via, value: power },
        thermal: { available: true, via, value: { state: thermal } },
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setUrgent(next) {
      urgent = next;
    },
  };
  return {
    source,
    isUrgent: () => urgent,
    /** Applies one step and tells subscribers, as the OS would. */
    apply(step: ScriptStep): void {
      switch (step.kind) {
        case 'input':
          lastInputAt = mono();
          inputUnavailable = null;
          emit({ kind: 'input' });
          return;
        case 'idle':
          lastInputAt = mono() - step.seconds * 1000;
          inputUnavailable = null;
          emit({ kind: 'changed' });
          return;
        case 'input-unavailable':
          inputUnavailable = step.reason;
          emit({ kind: 'changed' });
          return;
        case 'lock':
        case 'unlock':
          locked = step.kind === 'lock';
          emit({ kind: step.kind });
          return;
        case 'suspend':
        case 'resume':
          asleep = step.kind === 'suspend';
          emit({ kind: step.kind });
          return;
        case 'power':
          power = { onBattery: step.onBattery, batteryPct: step.batteryPct };
          emit({ kind: 'power', ...power });
          return;
        case 'thermal':
          thermal = step.state;
          emit({ kind: 'thermal', state: thermal });
          return;
      }
    },
  };
}
export type ScriptedActivity = ReturnType<typeof createScriptedActivity>;
