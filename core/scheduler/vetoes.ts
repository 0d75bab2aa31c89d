import type { SchedulerSettings } from '../../common/scheduler.ts';
import type { Veto } from '../../common/ipc/groups/scheduler.ts';
import type { ActivitySnapshot } from '../activity/types.ts';
import { programName } from '../activity/processes.ts';
import type { GpuSignalsReading } from './gpu-signals.ts';
import { describeMoment, inSchedule, nextWindowStart } from './schedule.ts';

/** Degrees below the limit a GPU must cool to before the heat veto lifts (hysteresis). */
export const TEMP_HYSTERESIS_C = 5;
/** Fraction below the power limit the draw must fall to before the power veto lifts. */
export const POWER_HYSTERESIS = 0.1;

export interface VetoFacts {
  now: number;
  settings: SchedulerSettings;
  activity: ActivitySnapshot;
  asleep: boolean;
  /** Running program names as listed (null when unknown). */
  runningApps: ReadonlySet<string> | null;
  fullscreen: { fullscreen: boolean; app: string | null } | null;
  gpu: GpuSignalsReading;
  /** Device ids the user turned off; `allDevicesOff` when nothing is left to run on. */
  allDevicesOff: boolean;
}

/** Latches for the vetoes with hysteresis: which devices are still "too hot" or "too hungry". */
export interface VetoLatches {
  hot: Set<string>;
  power: Set<string>;
}

const fmt = (n: number): string => String(Math.round(n));

/**
 * Everything that forbids work right now, each with the sentence the user sees. Pure
 * apart from updating `latches`, which carry the heat and power hysteresis between calls.
 */
export function computeVetoes(f: VetoFacts, latches: VetoLatches): Veto[] {
  const s = f.settings;
  const out: Veto[] = [];
  if (f.asleep) out.push({ kind: 'sleep', message: 'Paused — the computer is going to sleep' });
  if (f.runningApps) {
    const seen = new Set<string>();
    const found: string[] = [];
    for (const app of s.blockApps) {
      const name = programName(app);
      if (!seen.has(name) && f.runningApps.has(name)) found.push(app);
      seen.add(name);
    }
    if (found.length > 0) {
      const names = found.slice(0, 2).join(', ') + (found.length > 2 ? ` and ${found.length - 2} more` : '');
      out.push({ kind: 'app', message: `Paused — ${names} ${found.length === 1 ? 'is' : 'are'} running` });
    }
  }
  if (s.pauseForFullscreen && f.fullscreen?.fullscreen) {
    out.push({ kind: 'fullscreen', message: `Paused — a fullscreen app is open${f.fullscreen.app ? ` (${f.fullscreen.app})` : ''}` });
  }
  if (f.gpu.available) {
    for (const d of f.gpu.devices) {
      if (s.pauseWhenGpuBusy && d.otherProcesses.length > 0) {
        out.push({ kind: 'gpu-busy', message: `Paused — ${d.otherProcesses.slice(0, 2).join(', ')} ${d.otherProcesses.length === 1 ? 'is' : 'are'} using ${d.name}` });
      }
      const t = d.temperatureC;
      if (t !== null) {
        const wasHot = latches.hot.has(d.deviceId);
        if (t > s.maxGpuTempC || (wasHot && t > s.maxGpuTempC - TEMP_HYSTERESIS_C)) {
          latches.hot.add(d.deviceId);
          out.push({
            kind: 'gpu-temp',
            message:
              t > s.maxGpuTempC
                ? `Paused — GPU at ${fmt(t)} °C, your limit is ${s.maxGpuTempC} °C`
                : `Paused — GPU cooling down: ${fmt(t)} °C, starts again below ${s.maxGpuTempC - TEMP_HYSTERESIS_C} °C (your limit is ${s.maxGpuTempC} °C)`,
          });
        } else latches.hot.delete(d.deviceId);
      }
      const w = d.powerDrawW;
      const limit = s.maxGpuPowerW;
      if (w !== null && limit !== null) {
        const wasHungry = latches.power.has(d.deviceId);
        if (w > limit || (wasHungry && w > limit * (1 - POWER_HYSTERESIS))) {
          latches.power.add(d.deviceId);
          out.push({ kind: 'gpu-power', message: `Paused — GPU drawing ${fmt(w)} W, your limit is ${limit} W` });
        } else latches.power.delete(d.deviceId);
      } else latches.power.delete(d.deviceId);
    }
  }
  const thermal = f.activity.thermal;
  if (thermal.available && (thermal.value.state === 'serious' || thermal.value.state === 'critical')) {
    out.push({ kind: 'thermal', message: `Paused — the computer is running hot (thermal state: ${thermal.value.state})` });
  }
  if (s.scheduleEnabled && !inSchedule(s.schedule, f.now)) {
    const next = nextWindowStart(s.schedule, f.now);
    out.push({
      kind: 'schedule',
      message: next === null ? 'Paused — your schedule has no windows' : `Paused — outside your schedule (next window ${describeMoment(next, f.now)})`,
    });
  }
  const power = f.activity.power;
  if (power.available && power.value.onBattery && s.battery !== 'always') {
    const pct = power.value.batteryPct;
    if (s.battery === 'never') out.push({ kind: 'battery', message: 'Paused — running on battery' });
    else if (pct === null) out.push({ kind: 'battery', message: 'Paused — on battery and its level is unknown' });
    else if (pct < s.minBatteryPct) out.push({ kind: 'battery', message: `Paused — battery at ${fmt(pct)} %, your minimum is ${s.minBatteryPct} %` });
  }
  if (f.allDevicesOff) out.push({ kind: 'devices', message: 'Paused — every device is turned off in Settings' });
  return out;
}
