import type {
  ActivityListener,
  ActivitySignal,
  ActivitySnapshot,
  ActivitySource,
  SignalReading,
  SignalSource,
  SignalValues,
} from './types.ts';
import { unavailable } from './types.ts';

export type SignalSources = { [S in ActivitySignal]: SignalSource<S> };

/**
 * Joins one source per signal into the ActivitySource port. Sources start with the first
 * subscriber and stop with the last, so nothing polls while no one listens.
 */
export function combineActivity(sources: SignalSources): ActivitySource {
  const listeners = new Set<ActivityListener>();
  const all = Object.values(sources) as SignalSource[];
  const fanOut: ActivityListener = (event) => {
    for (const listener of [...listeners]) listener(event);
  };
  const snapshot = (): ActivitySnapshot => ({
    input: sources.input.read(),
    lock: sources.lock.read(),
    sleep: sources.sleep.read(),
    power: sources.power.read(),
    thermal: sources.thermal.read(),
  });
  return {
    idleSeconds() {
      const reading = sources.input.read();
      return reading.available ? reading.value.idleSeconds : null;
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) for (const source of all) source.start(fanOut);
      return () => {
        if (!listeners.delete(listener)) return;
        if (listeners.size === 0) for (const source of all) source.stop();
      };
    },
    setUrgent(urgent) {
      for (const source of all) source.setUrgent?.(urgent);
    },
  };
}

/**
 * Several ways to see input (X11, input devices, logind) act as one: the user is as idle
 * as the *least* idle available source says. Unavailable only when every one is.
 */
export function mergeInputSources(sources: SignalSource<'input'>[]): SignalSource<'input'> {
  return {
    signal: 'input',
    read(): SignalReading<SignalValues['input']> {
      const readings = sources.map((s) => s.read());
      const available = readings.filter((r) => r.available);
      if (available.length === 0) {
        const reasons = readings.map((r) => (r.available ? '' : r.reason.replace(/\.+$/, ''))).filter(Boolean);
        return unavailable(reasons.length > 0 ? `${reasons.join('; ')}.` : 'No way to see keyboard or mouse activity on this system.');
      }
      let best = available[0]!;
      for (const r of available) if (r.value.idleSeconds < best.value.idleSeconds) best = r;
      return { available: true, via: available.map((r) => r.via).join(' + '), value: best.value };
    },
    start(emit) {
      for (const s of sources) s.start(emit);
    },
    stop() {
      for (const s of sources) s.stop();
    },
    setUrgent(urgent) {
      for (const s of sources) s.setUrgent?.(urgent);
    },
  };
}
