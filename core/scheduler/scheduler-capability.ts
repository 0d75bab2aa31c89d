/**
 * The scheduler capability: `scheduler:*` calls and the `scheduler:status` event. It wires
 * the activity port, running-app and fullscreen probes, GPU telemetry and the practice job
 * source into the state machine. With HEARTH_TEST_HOOKS=1 every signal is scripted instead
 * (for end-to-end tests) and `scheduler:test-drive` drives them; otherwise that call is refused.
 */
import { CPU_DEVICE_ID, deviceSettingsFor } from '../../common/hardware.ts';
import { HearthError } from '../../common/errors.ts';
import type { TestDriveStep } from '../../common/ipc/groups/scheduler.ts';
import type { Capability, CapabilityContext } from '../capability.ts';
import { createFullscreenProbe } from '../activity/fullscreen.ts';
import { createProcessLister, programName } from '../activity/processes.ts';
import { createScriptedActivity } from '../activity/scripted.ts';
import { createScriptedGpuSignals, noGpuSignals, type GpuSignals } from './gpu-signals.ts';
import { gpuSignalsFromHardware, type HardwareTelemetry } from './hardware-gpu-signals.ts';
import type { JobSource } from './jobs.ts';
import { createPracticeJobSource } from './practice-jobs.ts';
import { createScheduler } from './scheduler.ts';

export interface SchedulerCapabilityOptions {
  /** Hardware telemetry for the GPU vetoes and the device list. */
  hardware?: HardwareTelemetry;
  jobs?: JobSource;
  /** Default: HEARTH_TEST_HOOKS=1 in the environment. */
  testHooks?: boolean;
  /** Told the practice worker's pid, so telemetry does not count it as someone else. */
  onWorkerPid?: (pid: number | null) => void;
}

export function createSchedulerCapability(ctx: CapabilityContext, options: SchedulerCapabilityOptions = {}) {
  const { ports, settings } = ctx;
  const testHooks = options.testHooks ?? process.env.HEARTH_TEST_HOOKS === '1';
  const scripted = testHooks ? createScriptedActivity(ports.clock, 0) : null;
  const scriptedGpu = testHooks ? createScriptedGpuSignals([]) : null;
  let scriptedApps = new Set<string>();
  if (testHooks) ports.logger.warn('scheduler test hooks are ON: activity, running apps and GPU readings are scripted');

  const gpu: GpuSignals = scriptedGpu
    ? scriptedGpu.signals
    : options.hardware
      ? gpuSignalsFromHardware(options.hardware, ports.clock)
      : noGpuSignals('Hardware telemetry is not connected.');
  const jobs = options.jobs ?? createPracticeJobSource({ ports, ...(options.onWorkerPid ? { onWorkerPid: options.onWorkerPid } : {}) });

  const enabledDevices = (): string[] => {
    const hw = settings.get().hardware;
    const gpus = options.hardware?.inventory()?.gpus.map((g) => g.id) ?? [];
    return [...gpus, CPU_DEVICE_ID].filter((id) => deviceSettingsFor(hw, id).enabled);
  };

  const scheduler = createScheduler({
    clock: ports.clock,
    logger: ports.logger,
    activity: scripted ? scripted.source : ports.activity,
    settings: () => settings.get().scheduler,
    savePause: async (pause) => {
      await settings.update({ scheduler: { pause } });
    },
    apps: testHooks ? async () => ({ names: new Set(scriptedApps) }) : createProcessLister(),
    fullscreen: testHooks ? async () => ({ fullscreen: false, app: null }) : createFullscreenProbe(),
    gpu,
    jobs,
    enabledDevices,
    onStatus: (status) => {
      ctx.emit('scheduler:status', status);
      if (status.state === 'ready') options.hardware?.watchClosely?.();
    },
    testHooks,
  });

  const drive = async (step: TestDriveStep): Promise<void> => {
    if (!scripted || !scriptedGpu) return;
    switch (step.kind) {
      case 'apps':
        scriptedApps = new Set(step.names.map(programName));
        await scheduler.pollApps();
        return;
      case 'gpu':
        scriptedGpu.set([
          { deviceId: 'test:gpu0', name: 'Test GPU', temperatureC: step.temperatureC, powerDrawW: step.powerDrawW, otherProcesses: step.otherProcesses },
        ]);
        return;
      case 'idle':
        scripted.apply(step);
        scheduler.forgetActivityMarks();
        return;
      default:
        scripted.apply(step);
    }
  };

  let unsubscribe: (() => void) | undefined;
  // While work runs, keep hardware telemetry at its fast rate so heat and other GPU users are seen within seconds.
  let watchTimer: ReturnType<typeof ports.clock.setInterval> | undefined;
  const watchIfWorking = (): void => {
    const state = scheduler.status().state;
    if (state === 'running' || state === 'ready' || state === 'yielding') options.hardware?.watchClosely?.();
  };
  return {
    handlers: {
      'scheduler:status': () => scheduler.status(),
      'scheduler:pause': ({ duration, finishCurrent }) => scheduler.pause(duration, finishCurrent),
      'scheduler:resume': () => scheduler.resume(),
      'scheduler:test-drive': async ({ steps }) => {
        if (!testHooks) {
          throw new HearthError('test_hooks_disabled', 'Test hooks are off. Start the daemon with HEARTH_TEST_HOOKS=1 to script activity.');
        }
        for (const step of steps) await drive(step);
        scheduler.refresh();
        return scheduler.status();
      },
    },
    start() {
      unsubscribe = settings.subscribe(() => scheduler.refresh());
      scheduler.start();
      watchTimer = ports.clock.setInterval(watchIfWorking, 10_000);
    },
    async stop() {
      unsubscribe?.();
      if (watchTimer !== undefined) ports.clock.clearInterval(watchTimer);
      await scheduler.stop();
      await jobs.stop?.();
    },
    status: () => scheduler.status(),
  } satisfies Capability & Record<string, unknown>;
}
export type SchedulerCapability = ReturnType<typeof createSchedulerCapability>;
