import { fork } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { workerPermissionArgs } from './worker/permissions.ts';
import type { ActivitySource, AppPaths, Clock, Launcher, Logger, Notifier, SecretStore } from './ports.ts';

/** Real time, for shells. Tests pass a fake clock instead. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** A logger writing one JSON line per entry to stderr, so stdout stays for the CLI's output. */
export function createStderrLogger(minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  const write = (level: keyof typeof order) => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[minLevel]) return;
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, message, ...fields })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Per-OS folders, overridable with HEARTH_DATA_DIR (tests, several profiles). */
export function defaultAppPaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const home = homedir();
  const base =
    env.HEARTH_DATA_DIR ??
    (process.platform === 'win32'
      ? join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Hearth')
      : process.platform === 'darwin'
        ? join(home, 'Library', 'Application Support', 'Hearth')
        : join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'hearth'));
  return { dataDir: base, cacheDir: join(base, 'cache'), logsDir: join(base, 'logs') };
}

/** Headless machines have no keychain here: the wallet password is the only way in. */
export const noSecretStore: SecretStore = {
  available: () => false,
  encrypt: () => Promise.reject(new Error('no OS keychain in this shell')),
  decrypt: () => Promise.reject(new Error('no OS keychain in this shell')),
};

/** child_process.fork with structured-clone messages, so typed arrays cross intact. */
export const forkLauncher: Launcher = {
  launch(spec) {
    const child = fork(spec.modulePath, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      execArgv: [...(spec.execArgv ?? []), ...(spec.permissions ? workerPermissionArgs(spec.permissions) : [])],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        // A child that has just died can still look connected: the write then fails with
        // EPIPE. Its death is reported through onExit; the failed write is not an error here
        // (without a callback Node would raise it as an uncaught 'error').
        if (child.connected) child.send(message as never, () => undefined);
      },
      kill: () => {
        child.kill('SIGKILL');
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    };
  },
};

export function createLogNotifier(logger: Logger): Notifier {
  return { notify: (note) => logger.info('notification', note) };
}

/** An activity port whose every signal is unavailable (tests and shells that pass their own). */
export const unknownActivity: ActivitySource = {
  idleSeconds: () => null,
  snapshot: () => {
    const reason = 'No activity source is connected in this shell.';
    const none = { available: false as const, reason };
    return { input: none, lock: none, sleep: none, power: none, thermal: none };
  },
  subscribe: () => () => undefined,
};
