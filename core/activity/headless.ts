import type { Clock } from '../ports.ts';
import { combineActivity, mergeInputSources } from './combine.ts';
import { createInputDevicesSource } from './input-devices.ts';
import { createLogindSources } from './logind.ts';
import { runCommand, type RunCommand } from './run-command.ts';
import { createSleepGapSource } from './sleep-gap.ts';
import { createSysfsPowerSource, createSysfsThermalSource } from './sysfs-power.ts';
import { unavailableSource, type ActivitySource } from './types.ts';
import { createX11IdleSource } from './x11-idle.ts';

export interface HeadlessActivityOptions {
  clock: Clock;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  run?: RunCommand;
}

/**
 * The daemon's activity port. On Linux: X11 idle (when DISPLAY is set and xprintidle is
 * installed), /dev/input where readable and logind hints, merged; logind for lock; sysfs
 * for battery and heat; a clock-gap detector for sleep. Elsewhere each signal says it is
 * unavailable: the desktop app uses Electron's powerMonitor instead.
 */
export function createHeadlessActivity(options: HeadlessActivityOptions): ActivitySource {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const run = options.run ?? runCommand;
  const { clock } = options;
  if (platform !== 'linux') {
    const reason = 'The headless daemon reads activity only on Linux; the desktop app reads it from the OS.';
    return combineActivity({
      input: unavailableSource('input', reason),
      lock: unavailableSource('lock', reason),
      sleep: createSleepGapSource({ clock }),
      power: unavailableSource('power', reason),
      thermal: unavailableSource('thermal', reason),
    });
  }
  const logind = createLogindSources({ clock, run, sessionId: env.XDG_SESSION_ID });
  return combineActivity({
    input: mergeInputSources([createX11IdleSource({ clock, run, display: env.DISPLAY }), createInputDevicesSource(), logind.input]),
    lock: logind.lock,
    sleep: createSleepGapSource({ clock }),
    power: createSysfsPowerSource(clock),
    thermal: createSysfsThermalSource(clock),
  });
}
