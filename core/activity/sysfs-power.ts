import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../ports.ts';
import { createPoller } from './poller.ts';
import { unavailable, type ActivityListener, type SignalReading, type SignalSource, type ThermalState } from './types.ts';

export interface SysfsIo {
  list(dir: string): Promise<string[]>;
  read(path: string): Promise<string>;
}
export const realSysfs: SysfsIo = {
  list: (dir) => readdir(dir),
  read: async (path) => (await readFile(path, 'utf8')).trim(),
};

const tryRead = (io: SysfsIo, path: string): Promise<string | null> => io.read(path).then((t) => t.trim(), () => null);

export type PowerState = { onBattery: boolean; batteryPct: number | null; hasBattery: boolean };

/** Reads /sys/class/power_supply: on battery when a battery discharges and no mains supply is online. */
export async function readPowerSupply(io: SysfsIo, dir = '/sys/class/power_supply'): Promise<PowerState | string> {
  let names: string[];
  try {
    names = await io.list(dir);
  } catch {
    return `There is no ${dir} on this system, so Hearth cannot tell whether it runs on battery.`;
  }
  let mainsOnline = false;
  let discharging = false;
  let hasBattery = false;
  let pct: number | null = null;
  for (const name of names) {
    const type = await tryRead(io, join(dir, name, 'type'));
    if (type === 'Battery') {
      if ((await tryRead(io, join(dir, name, 'scope'))) === 'Device') continue; // a mouse or headset battery
      hasBattery = true;
      const status = await tryRead(io, join(dir, name, 'status'));
      if (status === 'Discharging') discharging = true;
      const capacity = Number(await tryRead(io, join(dir, name, 'capacity')));
      if (Number.isFinite(capacity) && capacity >= 0 && capacity <= 100) pct = pct === null ? capacity : Math.min(pct, capacity);
    } else if (type === 'Mains' || type === 'USB' || type === 'USB_C') {
      if ((await tryRead(io, join(dir, name, 'online'))) === '1') mainsOnline = true;
    }
  }
  return { onBattery: hasBattery && discharging && !mainsOnline, batteryPct: pct, hasBattery };
}

/** Battery and mains from sysfs, polled (10 s, 2 s while urgent). */
export function createSysfsPowerSource(clock: Clock, io: SysfsIo = realSysfs, dir?: string): SignalSource<'power'> {
  let state: PowerState | string = 'Checking the power supply…';
  let emit: ActivityListener | undefined;
  const poller = createPoller(
    clock,
    async () => {
      const before = state;
      state = await readPowerSupply(io, dir);
      if (typeof state === 'string') {
        if (typeof before !== 'string') emit?.({ kind: 'changed' });
        return 'unavailable';
      }
      if (typeof before === 'string' || before.onBattery !== state.onBattery || before.batteryPct !== state.batteryPct) {
        emit?.({ kind: 'power', onBattery: state.onBattery, batteryPct: state.batteryPct });
      }
    },
    { normalMs: 10_000, urgentMs: 2000 },
  );
  return {
    signal: 'power',
    read(): SignalReading<{ onBattery: boolean; batteryPct: number | null }> {
      if (typeof state === 'string') return unavailable(state);
      return {
        available: true,
        via: state.hasBattery ? 'battery (sysfs)' : 'sysfs (no battery: always on mains)',
        value: { onBattery: state.onBattery, batteryPct: state.batteryPct },
      };
    },
    start(listener) {
      emit = listener;
      poller.start();
    },
    stop() {
      emit = undefined;
      poller.stop();
    },
    setUrgent: (u) => poller.setUrgent(u),
  };
}

/**
 * Maps thermal zones to Electron's four states: at or past a "critical"/"hot" trip point is
 * critical, past a "passive" trip (the firmware starts throttling) is serious, within 10 °C
 * of it is fair. Returns a reason string when there are no zones.
 */
export async function readThermalState(io: SysfsIo, dir = '/sys/class/thermal'): Promise<{ state: ThermalState; maxC: number } | string> {
  let names: string[];
  try {
    names = (await io.list(dir)).filter((n) => n.startsWith('thermal_zone'));
  } catch {
    return `There is no ${dir} on this system.`;
  }
  const rank: ThermalState[] = ['nominal', 'fair', 'serious', 'critical'];
  let worst = 0;
  let maxC = -Infinity;
  for (const zone of names) {
    const milli = Number(await tryRead(io, join(dir, zone, 'temp')));
    if (!Number.isFinite(milli)) continue;
    const c = milli / 1000;
    maxC = Math.max(maxC, c);
    for (let i = 0; i < 16; i++) {
      const type = await tryRead(io, join(dir, zone, `trip_point_${i}_type`));
      if (type === null) break;
      const trip = Number(await tryRead(io, join(dir, zone, `trip_point_${i}_temp`))) / 1000;
      if (!Number.isFinite(trip) || trip <= 0) continue;
      let level = 0;
      if ((type === 'critical' || type === 'hot') && c >= trip - 5) level = 3;
      else if (type === 'passive' && c >= trip) level = 2;
      else if (type === 'passive' && c >= trip - 10) level = 1;
      worst = Math.max(worst, level);
    }
  }
  if (maxC === -Infinity) return `No readable thermal zones in ${dir}.`;
  return { state: rank[worst]!, maxC };
}

/** System thermal state from sysfs thermal zones, polled every 15 s (3 s while urgent). */
export function createSysfsThermalSource(clock: Clock, io: SysfsIo = realSysfs, dir?: string): SignalSource<'thermal'> {
  let state: { state: ThermalState } | string = 'Checking thermal zones…';
  let emit: ActivityListener | undefined;
  const poller = createPoller(
    clock,
    async () => {
      const before = state;
      const next = await readThermalState(io, dir);
      state = typeof next === 'string' ? next : { state: next.state };
      if (typeof state === 'string') {
        if (typeof before !== 'string') emit?.({ kind: 'changed' });
      } else if (typeof before === 'string' || before.state !== state.state) {
        emit?.({ kind: 'thermal', state: state.state });
      }
      return typeof state === 'string' ? 'unavailable' : undefined;
    },
    { normalMs: 15_000, urgentMs: 3000 },
  );
  return {
    signal: 'thermal',
    read() {
      return typeof state === 'string' ? unavailable(state) : { available: true, via: 'thermal zones (sysfs)', value: state };
    },
    start(listener) {
      emit = listener;
      poller.start();
    },
    stop() {
      emit = undefined;
      poller.stop();
    },
    setUrgent: (u) => poller.setUrgent(u),
  };
}
