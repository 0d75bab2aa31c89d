/**
 * The desktop app's activity port: Electron's powerMonitor for input idle time, lock,
 * sleep and power; where powerMonitor cannot tell (battery level everywhere, thermal state
 * outside macOS), Linux's sysfs fills in and other systems say the signal is unavailable.
 * Takes the powerMonitor object as an argument so it is tested with a fake.
 */
import type * as Electron from 'electron';
import type { Clock } from '../../core/ports.ts';
import { combineActivity } from '../../core/activity/combine.ts';
import { createPoller } from '../../core/activity/poller.ts';
import { createSysfsThermalSource, readPowerSupply, realSysfs, type SysfsIo } from '../../core/activity/sysfs-power.ts';
import { unavailable, unavailableSource, type ActivityListener, type ActivitySource, type SignalSource } from '../../core/activity/types.ts';

type ThermalListener = (details: Electron.Event<Electron.PowerMonitorThermalStateChangeEventParams>) => void;
/** Subscribing and unsubscribing, event by event as Electron declares them (see ../edges.ts for why not Pick). */
interface MonitorListen {
  (event: 'lock-screen', listener: () => void): unknown;
  (event: 'unlock-screen', listener: () => void): unknown;
  (event: 'suspend', listener: () => void): unknown;
  (event: 'resume', listener: () => void): unknown;
  (event: 'on-ac', listener: () => void): unknown;
  (event: 'on-battery', listener: () => void): unknown;
  (event: 'thermal-state-change', listener: ThermalListener): unknown;
}
/** The powerMonitor calls this adapter makes, typed against Electron's declarations. */
export type PowerMonitorEdges = Pick<Electron.PowerMonitor, 'getSystemIdleTime' | 'getSystemIdleState' | 'isOnBatteryPower' | 'getCurrentThermalState'> & {
  on: MonitorListen;
  off: MonitorListen;
};
type Monitor = PowerMonitorEdges;

/** Idle time and lock state by polling powerMonitor: 1 s normally, 100 ms while a job runs. */
function inputAndLock(monitor: Monitor, clock: Clock): { input: SignalSource<'input'>; lock: SignalSource<'lock'> } {
  let idle: number | null = null;
  let locked: boolean | null = null;
  let emit: ActivityListener | undefined;
  let users = 0;
  const poller = createPoller(
    clock,
    async () => {
      const next = monitor.getSystemIdleTime();
      // powerMonitor counts whole seconds: a drop means input since the last look.
      if (idle !== null && next < idle) emit?.({ kind: 'input' });
      idle = next;
      const state = monitor.getSystemIdleState(1);
      const nextLocked = state === 'locked' ? true : state === 'unknown' ? null : false;
      if (locked !== null && nextLocked !== null && nextLocked !== locked) emit?.({ kind: nextLocked ? 'lock' : 'unlock' });
      locked = nextLocked;
    },
    { normalMs: 1000, urgentMs: 100 },
  );
  const onLock = (): void => {
    locked = true;
    emit?.({ kind: 'lock' });
  };
  const onUnlock = (): void => {
    locked = false;
    emit?.({ kind: 'unlock' });
  };
  const start = (listener: ActivityListener): void => {
    emit = listener;
    if (users++ > 0) return;
    monitor.on('lock-screen', onLock);
    monitor.on('unlock-screen', onUnlock);
    poller.start();
  };
  const stop = (): void => {
    if (users === 0 || --users > 0) return;
    monitor.off('lock-screen', onLock);
    monitor.off('unlock-screen', onUnlock);
    poller.stop();
    emit = undefined;
  };
  return {
    input: {
      signal: 'input',
      read: () => (idle === null ? unavailable('Reading idle time from the system…') : { available: true, via: 'Electron powerMonitor', value: { idleSeconds: idle } }),
      start,
      stop,
      setUrgent: (u) => poller.setUrgent(u),
    },
    lock: {
      signal: 'lock',
      read: () =>
        locked === null ? unavailable('This system does not tell apps whether the screen is locked.') : { available: true, via: 'Electron powerMonitor', value: { locked } },
      start,
      stop,
    },
  };
}

function sleepSource(monitor: Monitor): SignalSource<'sleep'> {
  let asleep = false;
  let emit: ActivityListener | undefined;
  const onSuspend = (): void => {
    asleep = true;
    emit?.({ kind: 'suspend' });
  };
  const onResume = (): void => {
    asleep = false;
    emit?.({ kind: 'resume' });
  };
  return {
    signal: 'sleep',
    read: () => ({ available: true, via: 'Electron powerMonitor', value: { asleep } }),
    start(listener) {
      emit = listener;
      monitor.on('suspend', onSuspend);
      monitor.on('resume', onResume);
    },
    stop() {
      monitor.off('suspend', onSuspend);
      monitor.off('resume', onResume);
      emit = undefined;
    },
  };
}

/**
 * On battery, and the battery level. macOS and Windows: powerMonitor's on-ac/on-battery
 * events (Electron has no battery level). Linux: those events never fire (Electron documents
 * them for macOS and Windows only), so the power supply is polled from sysfs, on battery and
 * level both, falling back to polling powerMonitor.isOnBatteryPower where sysfs is unreadable.
 */
function powerSource(monitor: Monitor, clock: Clock, platform: NodeJS.Platform, sysfs: SysfsIo): SignalSource<'power'> {
  let onBattery = monitor.isOnBatteryPower();
  let pct: number | null = null;
  let via = 'Electron powerMonitor';
  let emit: ActivityListener | undefined;
  const say = (): void => emit?.({ kind: 'power', onBattery, batteryPct: pct });
  const onAc = (): void => {
    onBattery = false;
    say();
  };
  const onBatt = (): void => {
    onBattery = true;
    say();
  };
  const linuxPoll = createPoller(
    clock,
    async () => {
      const state = await readPowerSupply(sysfs);
      const next = typeof state === 'string' ? { onBattery: monitor.isOnBatteryPower(), pct: null } : { onBattery: state.onBattery, pct: state.batteryPct };
      via = typeof state === 'string' ? 'Electron powerMonitor (no readable sysfs power supply)' : state.hasBattery ? 'battery (sysfs)' : 'sysfs (no battery: always on mains)';
      if (next.onBattery !== onBattery || next.pct !== pct) {
        onBattery = next.onBattery;
        pct = next.pct;
        say();
      }
    },
    { normalMs: 10_000, urgentMs: 2000 },
  );
  return {
    signal: 'power',
    read: () => ({ available: true, via, value: { onBattery, batteryPct: pct } }),
    start(listener) {
      emit = listener;
      onBattery = monitor.isOnBatteryPower();
      if (platform === 'linux') return linuxPoll.start();
      monitor.on('on-ac', onAc);
      monitor.on('on-battery', onBatt);
    },
    stop() {
      monitor.off('on-ac', onAc);
      monitor.off('on-battery', onBatt);
      linuxPoll.stop();
      emit = undefined;
    },
    setUrgent: (u) => linuxPoll.setUrgent(u),
  };
}

/** macOS reports a thermal state; Linux has sysfs zones; Windows gives apps nothing to read. */
function thermalSource(monitor: Monitor, clock: Clock, platform: NodeJS.Platform): SignalSource<'thermal'> {
  if (platform === 'linux') return createSysfsThermalSource(clock);
  if (platform !== 'darwin') return unavailableSource('thermal', 'Windows does not report a thermal state to apps; the GPU temperature limit still applies.');
  let emit: ActivityListener | undefined;
  const onChange: ThermalListener = (details) => {
    if (details.state !== 'unknown') emit?.({ kind: 'thermal', state: details.state });
  };
  return {
    signal: 'thermal',
    read() {
      const state = monitor.getCurrentThermalState();
      return state === 'unknown' ? unavailable('macOS has not reported a thermal state yet.') : { available: true, via: 'Electron powerMonitor', value: { state } };
    },
    start(listener) {
      emit = listener;
      monitor.on('thermal-state-change', onChange);
    },
    stop() {
      monitor.off('thermal-state-change', onChange);
      emit = undefined;
    },
  };
}

/** The activity port for the desktop shell. */
export function createElectronActivity(monitor: Monitor, clock: Clock, platform: NodeJS.Platform = process.platform, sysfs: SysfsIo = realSysfs): ActivitySource {
  const { input, lock } = inputAndLock(monitor, clock);
  return combineActivity({ input, lock, sleep: sleepSource(monitor), power: powerSource(monitor, clock, platform, sysfs), thermal: thermalSource(monitor, clock, platform) });
}
