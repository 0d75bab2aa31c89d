import { childEntry, type ChildEntry } from '../app/layout.ts';
import { forkLauncher } from '../node-ports.ts';
import type { LaunchedProcess, Launcher, Logger } from '../ports.ts';
import type { DemandOptions } from './demand.ts';

/** The demand loop's options (demand.ts), less what the process supplies itself, plus its supervision. */
export interface DemandSimulatorOptions extends Omit<DemandOptions, 'log' | 'signal' | 'clock'> {
  logger: Logger;
  /** Restart backoff (default 1 s doubling to 30 s). */
  restart?: { baseMs?: number; maxMs?: number };
  /** The shell's launcher (ports.launcher); default child_process.fork. */
  launcher?: Launcher;
  /** The simulator's entry (ports.simulatorEntry); default `simulatorEntry()`. */
  entry?: ChildEntry;
}

/** A simulator event as its process logged it (one JSON line). */
export interface SimulatorEvent {
  t: number;
  event: string;
  [field: string]: unknown;
}

export interface DemandSimulatorStatus {
  running: boolean;
  pid: number | null;
  restarts: number;
  /** Events seen, by name (posted, settled, disputed, expired, error, ...). */
  counts: Record<string, number>;
  /** The last events, newest last (at most 50). */
  recent: SimulatorEvent[];
}

/** The dev account the app gives the simulator by default (not 0, the deployer; not 3, the CLI's). */
export const SIMULATOR_ACCOUNT_INDEX = 7;

/** simulator-main.ts through tsx from sources; the bundle dist/requester/simulator.cjs when bundled. */
export function simulatorEntry(): ChildEntry {
  return childEntry('core/requester/simulator-main.ts', 'dist/requester/simulator.cjs');
}

/**
 * Starts the demand simulator through the launcher and keeps it running: a crash restarts it
 * with backoff. It dies with us, even when we are SIGKILLed (see simulator-main.ts).
 * `stop()` asks it to finish, then kills it after 5 s.
 */
export function startDemandSimulator(options: DemandSimulatorOptions): { stop(): Promise<void>; status(): DemandSimulatorStatus } {
  const base = options.restart?.baseMs ?? 1_000;
  const max = options.restart?.maxMs ?? 30_000;
  const counts: Record<string, number> = {};
  const recent: SimulatorEvent[] = [];
  const launcher = options.launcher ?? forkLauncher;
  const entry = options.entry ?? simulatorEntry();
  let child: LaunchedProcess | undefined;
  let childExited: Promise<void> | undefined;
  let stopped = false;
  let restarts = 0;
  let failuresInARow = 0;
  let timer: NodeJS.Timeout | undefined;

  const config = {
    rpcUrl: options.rpcUrl,
    deployment: options.deployment,
    requesterKey: options.requesterKey,
    ...(options.arbiterKey ? { arbiterKey: options.arbiterKey } : {}),
    ratePerMinute: options.ratePerMinute,
    ...(options.units ? { units: options.units } : {}),
    maxPricePerUnit: options.maxPricePerUnit.toString(),
    classLabels: options.classLabels,
    ...(options.maxOpen ? { maxOpen: options.maxOpen } : {}),
    ...(options.deadlineSeconds ? { deadlineSeconds: options.deadlineSeconds } : {}),
    dataDir: options.dataDir,
  };

  const record = (event: SimulatorEvent): void => {
    counts[event.event] = (counts[event.event] ?? 0) + 1;
    recent.push(event);
    if (recent.length > 50) recent.shift();
    const level = event.event === 'error' || event.event === 'fatal' ? 'warn' : 'info';
    options.logger[level](`simulator: ${event.event}`, event);
  };

  const launch = (): void => {
    const startedAt = Date.now();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    const proc = launcher.launch({ modulePath: entry.modulePath, args: [], execArgv: entry.execArgv, cwd: process.cwd(), env: { ...env, FORCE_COLOR: '0' } });
    child = proc;
    childExited = new Promise((resolve) => proc.onExit(() => resolve()));
    proc.send({ type: 'config', config });
    proc.onMessage((message) => {
      const event = (message as { type?: unknown; event?: SimulatorEvent } | null)?.event;
      if ((message as { type?: unknown } | null)?.type === 'event' && event && typeof event.event === 'string') record(event);
    });
    proc.onExit((code, signal) => {
      if (child === proc) child = undefined;
      if (stopped) return;
      // A run that lasted a while was healthy: start the backoff over.
      failuresInARow = Date.now() - startedAt > 60_000 ? 1 : failuresInARow + 1;
      const delay = Math.min(max, base * 2 ** (failuresInARow - 1));
      options.logger.warn('simulator: exited, restarting', { code, signal, inMs: delay });
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped) return;
        restarts++;
        launch();
      }, delay);
    });
  };
  launch();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const proc = child;
      if (!proc) return;
      proc.send({ type: 'stop' });
      const kill = setTimeout(() => proc.kill(), 5_000);
      await childExited;
      clearTimeout(kill);
    },
    status: () => ({ running: child !== undefined, pid: child?.pid ?? null, restarts, counts: { ...counts }, recent: [...recent] }),
  };
}
