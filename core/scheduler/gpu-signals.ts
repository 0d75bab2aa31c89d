/**
 * What the scheduler needs from hardware telemetry, kept small so the scheduler does not
 * depend on how core/hardware gathers it (nvidia-smi, rocm-smi, sysfs…).
 */
export interface GpuReading {
  deviceId: string;
  name: string;
  temperatureC: number | null;
  powerDrawW: number | null;
  /** Names of compute processes on this GPU that are neither Hearth's nor the desktop's. */
  otherProcesses: string[];
}

export type GpuSignalsReading = { available: true; via: string; devices: GpuReading[] } | { available: false; reason: string };

export interface GpuSignals {
  read(): GpuSignalsReading;
  /** Called when new readings arrive; returns unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** No telemetry: the GPU vetoes cannot be checked, and the status says so. */
export function noGpuSignals(reason: string): GpuSignals {
  return { read: () => ({ available: false, reason }), subscribe: () => () => undefined };
}

/** Readings set by hand: the daemon's test hook and tests. */
export function createScriptedGpuSignals(initial: GpuReading[] = []) {
  let devices = initial;
  const listeners = new Set<() => void>();
  const signals: GpuSignals = {
    read: () => ({ available: true, via: 'scripted test source', devices }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    signals,
    set(next: GpuReading[]): void {
      devices = next;
      for (const l of [...listeners]) l();
    },
  };
}
