import type { WorkerPermissions } from './worker/permissions.ts';
import type { ActivitySource } from './activity/types.ts';
import type { UpdateState } from '../common/ipc/groups/update.ts';

/**
 * What core needs from the shell it runs in. Electron and the daemon each supply these;
 * tests supply fakes. Core never reaches for globals like Date.now or setTimeout directly
 * where behaviour depends on time: it goes through the Clock, so logic is tested with fake time.
 */
export type TimerHandle = { readonly id: number } | NodeJS.Timeout;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export type LogFields = Record<string, unknown>;
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface AppPaths {
  /** Settings, keystore, ledger: everything that must survive restarts. */
  dataDir: string;
  /** Downloaded models and other things that can be fetched again. */
  cacheDir: string;
  logsDir: string;
}

/** OS keychain wrapping (Electron safeStorage). `available` false means password only. */
export interface SecretStore {
  available(): boolean;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

export interface LaunchSpec {
  /** Absolute path of the module to run in the child. */
  modulePath: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  execArgv?: string[];
  /**
   * Confine the child with Node's permission model: read and write only these paths, no
   * child processes, no worker threads. A launcher that cannot apply it says so in the
   * security notes (Electron's utilityProcess drops the flags: docs/electron-security.md).
   */
  permissions?: WorkerPermissions;
}

/** Starts isolated child processes: utilityProcess in Electron, child_process.fork elsewhere. */
export interface Launcher {
  launch(spec: LaunchSpec): LaunchedProcess;
}

/** The subset of a child process core relies on, shared by fork() and utilityProcess. */
export interface LaunchedProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  /** Ends the process at once (SIGKILL where the OS has signals). */
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}

export interface Notifier {
  notify(note: { title: string; body: string }): void;
}

/**
 * The app's own updates (electron-updater in the desktop app). Core decides when a
 * restart may happen (never while a paid job runs); the shell only checks, downloads
 * and installs.
 */
export interface Updater {
  state(): UpdateState;
  /** Looks for an update now; failures end in the `error` state, never a rejection. */
  check(): Promise<void>;
  /** Quits and installs the downloaded update (only called in the `ready` state). */
  install(): void;
  subscribe(listener: (state: UpdateState) => void): () => void;
}

// Activity signals: each source says what it knows or why it cannot (see core/activity/types.ts).
export type { ActivityEvent, ActivitySnapshot, ActivitySource } from './activity/types.ts';

export interface Ports {
  shell: 'desktop' | 'daemon';
  version: string;
  clock: Clock;
  logger: Logger;
  paths: AppPaths;
  secrets: SecretStore;
  launcher: Launcher;
  notifier: Notifier;
  activity: ActivitySource;
  /**
   * The inference worker's entry, for shells whose code is bundled (Electron runs
   * dist/worker/main.cjs). Omitted: worker/main.ts through tsx in a checkout.
   */
  workerEntry?: { modulePath: string; execArgv: string[] };
  /** Self-update; omitted (the daemon) means updates come from elsewhere. */
  updater?: Updater;
  /**
   * The demand simulator's entry, the same way (Electron runs dist/requester/simulator.cjs).
   * Omitted: the bundle beside a bundled shell, core/requester/simulator-main.ts from sources.
   */
  simulatorEntry?: { modulePath: string; execArgv: string[] };
}
