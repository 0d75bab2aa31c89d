import { gpuDisplayName, type HardwareInventory, type TelemetrySample } from '../../common/hardware.ts';
import type { Clock, TimerHandle } from '../ports.ts';
import type { GpuSignals } from './gpu-signals.ts';

/** The slice of the hardware capability the scheduler reads. */
export interface HardwareTelemetry {
  inventory(): HardwareInventory | null;
  latest(): TelemetrySample | null;
  /** Asks for fast sampling for a while (a lease the caller renews while a job runs). */
  watchClosely?(): void;
}

/**
 * GPU signals from core/hardware's telemetry sampler: temperature, power and other compute
 * processes per GPU. The sampler has no subscription, so new samples are noticed by
 * checking their timestamp once a second.
 */
export function gpuSignalsFromHardware(hardware: HardwareTelemetry, clock: Clock): GpuSignals {
  const listeners = new Set<() => void>();
  let timer: TimerHandle | undefined;
  let lastAt = -1;
  return {
    read() {
      const inventory = hardware.inventory();
      if (!inventory) return { available: false, reason: 'Hearth is still detecting your devices.' };
      if (inventory.gpus.length === 0) return { available: true, via: 'hardware telemetry (no GPU found)', devices: [] };
      const sample = hardware.latest();
      if (!sample) return { available: false, reason: 'No GPU reading yet.' };
      return {
        available: true,
        via: 'hardware telemetry',
        devices: sample.gpus.map((g) => {
          const gpu = inventory.gpus.find((d) => d.id === g.deviceId);
          return {
            deviceId: g.deviceId,
            name: gpu ? gpuDisplayName(gpu) : g.deviceId,
            temperatureC: g.temperatureC,
            powerDrawW: g.powerDrawW,
            otherProcesses: g.otherProcesses.filter((p) => p.kind === 'compute').map((p) => p.name),
          };
        }),
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      timer ??= clock.setInterval(() => {
        const at = hardware.latest()?.at ?? -1;
        if (at === lastAt) return;
        lastAt = at;
        for (const l of [...listeners]) l();
      }, 1000);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clock.clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
