/**
 * The activity port, refined: each signal (input idle, screen lock, sleep, power, thermal)
 * comes from its own source and says whether it can be read at all. A source that cannot
 * tell reports `available: false` with a reason, so the scheduler never mistakes
 * "I don't know" for "the user is away".
 */

export type ThermalState = 'nominal' | 'fair' | 'serious' | 'critical';
export type ActivitySignal = 'input' | 'lock' | 'sleep' | 'power' | 'thermal';

/** What one signal knows right now. `via` names where the value came from (e.g. "xprintidle"). */
export type SignalReading<T> = { available: true; via: string; value: T } | { available: false; reason: string };

export interface SignalValues {
  input: { idleSeconds: number };
  lock: { locked: boolean };
  /** Sleep is only ever seen through events; the reading says whether they can arrive. */
  sleep: { asleep: boolean };
  power: { onBattery: boolean; batteryPct: number | null };
  thermal: { state: ThermalState };
}

export type ActivitySnapshot = { [S in ActivitySignal]: SignalReading<SignalValues[S]> };

export type ActivityEvent =
  /** The user touched a key, the mouse, or an input device just now. */
  | { kind: 'input' }
  | { kind: 'lock' | 'unlock' | 'suspend' | 'resume' }
  | { kind: 'power'; onBattery: boolean; batteryPct: number | null }
  | { kind: 'thermal'; state: ThermalState }
  /** A source became available or unavailable; read the snapshot again. */
  | { kind: 'changed' };

export type ActivityListener = (event: ActivityEvent) => void;

/** One signal's source: read it any time; while started it emits events. */
export interface SignalSource<S extends ActivitySignal = ActivitySignal> {
  readonly signal: S;
  read(): SignalReading<SignalValues[S]>;
  start(emit: ActivityListener): void;
  stop(): void;
  /** Polling sources look more often while urgent (a job is running, so a return must be seen fast). */
  setUrgent?(urgent: boolean): void;
}

/** The port core consumes: all signals joined. */
export interface ActivitySource {
  /** Seconds since the last user input, or null when no source can tell. */
  idleSeconds(): number | null;
  snapshot(): ActivitySnapshot;
  /** Subscribes to discrete changes; sources start with the first subscriber. Returns unsubscribe. */
  subscribe(listener: ActivityListener): () => void;
  setUrgent?(urgent: boolean): void;
}

/** Shorthand for an unavailable reading. */
export function unavailable(reason: string): { available: false; reason: string } {
  return { available: false, reason };
}

/** A source that can never report, with the reason shown to the user. */
export function unavailableSource<S extends ActivitySignal>(signal: S, reason: string): SignalSource<S> {
  return { signal, read: () => unavailable(reason), start: () => undefined, stop: () => undefined };
}
