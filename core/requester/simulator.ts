import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DemandOptions } from './demand.ts';
import type { Logger } from '../ports.ts';

/** The demand loop's options (demand.ts), less what the process supplies itself, plus its supervision. */
export interface DemandSimulatorOptions extends Omit<DemandOptions, 'log' | 'signal' | 'clock'> {
  logger: Logger;
  /** Restart backoff (default 1 s doubling to 30 s). */
  restart?: { baseMs?: number; maxMs?: number };
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

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Forks the demand simulator (simulator-main.ts through tsx in a checkout) and keeps it
 * running: a crash restarts it with backoff. It dies with us, even when we are
 * SIGKILLed, because it exits when its IPC channel or stdin closes. `stop()` asks it to
 * finish, then kills it after 5 s.
 */
export function startDemandSimulator(options: DemandSimulatorOptions): { stop(): Promise<void>; status(): DemandSimulatorStatus } {
  const base = options.restart?.baseMs ?? 1_000;
  const max = options.restart?.maxMs ?? 30_000;
  const counts: Record<string, number> = {};
  const recent: SimulatorEvent[] = [];
  let child: ChildProcess | undefined;
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
    const source = join(here, 'simulator-main.ts');
    const entry = existsSync(source) ? source : join(here, 'simulator-main.js');
    const startedAt = Date.now();
    const proc = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [],
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    child = proc;
    proc.send({ type: 'config', config });
    createInterface({ input: proc.stdout! }).on('line', (text) => {
      try {
        const parsed = JSON.parse(text) as SimulatorEvent;
        if (parsed && typeof parsed.event === 'string') record(parsed);
      } catch {
        options.logger.debug('simulator: output', { line: text.slice(0, 500) });
      }
    });
    createInterface({ input: proc.stderr! }).on('line', (text) => options.logger.debug('simulator: stderr', { line: text.slice(0, 500) }));
    proc.on('error', (error) => options.logger.warn('simulator: process error', { error: error.message }));
    proc.once('exit', (code, signal) => {
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
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      if (proc.connected) proc.send({ type: 'stop' });
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    },
    status: () => ({ running: child !== undefined, pid: child?.pid ?? null, restarts, counts: { ...counts }, recent: [...recent] }),
  };
}
