/**
 * Test support: a fake of the electron module's edges, typed against Electron's own
 * declarations (edges.ts), that also keeps Electron's ordering rules — the ones a shell gets
 * wrong unnoticed: registerSchemesAsPrivileged only before `ready`; protocol.handle, the
 * session and BrowserWindow only after it. Breaking a rule throws, as Electron does.
 */
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { PowerMonitorEdges } from './adapters/activity.ts';
import type { ElectronEdges } from './desktop.ts';
import type { AppEdges, ContentsEdges, PermissionEdges, WindowEdges } from './edges.ts';
import type { MainElectron } from './main-wiring.ts';
import type { UtilityChildEdges } from './ports.ts';
import { fakeTrayEdges } from './test/fake-electron.ts';

type RequestHandler = Parameters<PermissionEdges['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<PermissionEdges['setPermissionCheckHandler']>[0];
type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1];
type OpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0];

/** An Electron.Event (preventDefault + defaultPrevented) with the given fields. */
export function electronEvent<T extends object>(fields: T): Electron.Event<T> {
  let prevented = false;
  return Object.assign(
    {
      preventDefault: () => void (prevented = true),
      get defaultPrevented() {
        return prevented;
      },
    },
    fields,
  );
}

export class FakeApp extends EventEmitter implements AppEdges {
  isReady = false;
  lockHeld = false;
  exitCode: number | undefined;
  quitCalls = 0;
  private markReady: (() => void) | undefined;
  private readonly readyPromise = new Promise<void>((resolve) => (this.markReady = resolve));
  constructor(private readonly lockFree: boolean) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    this.lockHeld = this.lockFree;
    return this.lockFree;
  }
  releaseSingleInstanceLock(): void {
    this.lockHeld = false;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** The test plays Electron's `ready`. */
  ready(): void {
    this.isReady = true;
    this.markReady?.();
  }
  readonly paths = new Map<string, string>([
    ['userData', '/home/user/.config/Hearth'],
    ['logs', '/home/user/.config/Hearth/logs'],
  ]);
  getVersion(): string {
    return '9.8.7';
  }
  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  /** Like Electron: quitting emits will-quit, and exits unless a listener prevents it. */
  quit(): void {
    this.quitCalls++;
    const event = electronEvent({});
    this.emit('will-quit', event);
    if (!event.defaultPrevented && this.exitCode === undefined) this.exitCode = 0;
  }
  exit(code?: number): void {
    this.exitCode = code ?? 0;
  }
  // Tray mode's members (electron/tray-mode.ts): a development run started by hand.
  readonly isPackaged = false;
  readonly loginItems: Electron.Settings[] = [];
  getAppPath(): string {
    return '/app';
  }
  setLoginItemSettings(settings: Electron.Settings): void {
    this.loginItems.push(settings);
  }
  getLoginItemSettings(): Electron.LoginItemSettings {
    return { openAtLogin: false, wasOpenedAtLogin: false, status: 'not-registered', executableWillLaunchAtLogin: false, launchItems: [] };
  }
}

export class FakeContents extends EventEmitter implements ContentsEdges {
  openHandler: OpenHandler | undefined;
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
  /** Emits a navigation event the way Electron does and says whether it was prevented. */
  navigate(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string, isMainFrame = true): boolean {
    const details = electronEvent({ url, isSameDocument: false, isMainFrame, frame: null });
    this.emit(event, details, url, false, isMainFrame);
    return details.defaultPrevented;
  }
}

const notReady = (what: string): Error => new Error(`${what} cannot be used before the app is ready`);

type IdleState = ReturnType<PowerMonitorEdges['getSystemIdleState']>;
type ThermalState = ReturnType<PowerMonitorEdges['getCurrentThermalState']>;

/** powerMonitor: an EventEmitter for its events; like Electron's, unusable before `ready`. */
export class FakePowerMonitor extends EventEmitter implements PowerMonitorEdges {
  idle = 400;
  idleState: IdleState = 'idle';
  battery = false;
  thermal: ThermalState = 'serious';
  constructor(private readonly isReady: () => boolean = () => true) {
    super();
  }
  private use<T>(value: T): T {
    if (!this.isReady()) throw notReady('powerMonitor');
    return value;
  }
  getSystemIdleTime = (): number => this.use(this.idle);
  getSystemIdleState = (_threshold: number): IdleState => this.use(this.idleState);
  isOnBatteryPower = (): boolean => this.use(this.battery);
  getCurrentThermalState = (): ThermalState => this.use(this.thermal);
}

/** A utility process child: messages and exit as events, pid once spawned. */
export class FakeUtilityChild extends EventEmitter implements UtilityChildEdges {
  pid: number | undefined = undefined;
  readonly posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    return true;
  }
}

export function fakeElectron(options: { lock?: boolean } = {}) {
  const app = new FakeApp(options.lock ?? true);
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter implements WindowEdges {
    loaded: string | undefined;
    minimized = false;
    shown = 0;
    focused = 0;
    restored = 0;
    readonly sent: unknown[][] = [];
    readonly webContents = { isDestroyed: () => false, send: (...args: unknown[]) => void this.sent.push(args) };
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      if (!app.isReady) throw notReady('BrowserWindow');
      windows.push(this);
      this.on('closed', () => windows.splice(windows.indexOf(this), 1));
    }
    static getAllWindows(): FakeWindow[] {
      return [...windows];
    }
    loadURL(url: string): Promise<void> {
      this.loaded = url;
      return Promise.resolve();
    }
    show(): void {
      this.shown++;
    }
    focus(): void {
      this.focused++;
    }
    restore(): void {
      this.restored++;
      this.minimized = false;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
  }
  const handlers = new Map<string, unknown>();
  const permissions: { request?: RequestHandler; check?: CheckHandler } = {};
  const protocolState: { privileged: Electron.CustomScheme[]; handler?: ProtocolHandler } = { privileged: [] };
  const opened: string[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const defaultSession: PermissionEdges = {
    setPermissionRequestHandler: (h) => void (permissions.request = h),
    setPermissionCheckHandler: (h) => void (permissions.check = h),
  };
  const electron: ElectronEdges = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel, h) => void handlers.set(channel, h), removeHandler: (channel) => void handlers.delete(channel) },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => {
        if (app.isReady) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
        protocolState.privileged.push(...schemes);
      },
      handle: (_scheme, handler) => {
        if (!app.isReady) throw notReady('protocol.handle');
        protocolState.handler = handler;
      },
    },
    session: {
      get defaultSession() {
        if (!app.isReady) throw notReady('session');
        return defaultSession;
      },
    },
    shell: { openExternal: (url) => (opened.push(url), Promise.resolve()) },
    dialog: { showErrorBox: (title, content) => void errorBoxes.push({ title, content }) },
  };
  return { electron, app, windows, handlers, permissions, protocolState, opened, errorBoxes };
}

/** The whole module main.ts uses: the shell's edges plus powerMonitor, safeStorage, utilityProcess. */
export function fakeMainElectron(options: { lock?: boolean } = {}) {
  const base = fakeElectron(options);
  const { app } = base;
  const powerMonitor = new FakePowerMonitor(() => app.isReady);
  const forks: { modulePath: string; args: string[]; options: Electron.ForkOptions; child: FakeUtilityChild }[] = [];
  const tray = fakeTrayEdges();
  const notes: Electron.NotificationConstructorOptions[] = [];
  const electron: MainElectron = {
    ...base.electron,
    ...tray.edges,
    Notification: Object.assign(
      class {
        constructor(private readonly options: Electron.NotificationConstructorOptions) {}
        show(): void {
          notes.push(this.options);
        }
      },
      { isSupported: () => true },
    ),
    app,
    powerMonitor,
    safeStorage: {
      isEncryptionAvailable: () => app.isReady,
      encryptString: (plain) => Buffer.from(plain).reverse(),
      decryptString: (sealed) => Buffer.from(sealed).reverse().toString(),
    },
    utilityProcess: {
      fork: (modulePath, args, forkOptions) => {
        if (!app.isReady) throw notReady('utilityProcess');
        const child = new FakeUtilityChild();
        forks.push({ modulePath, args, options: forkOptions, child });
        return child;
      },
    },
  };
  return { ...base, electron, powerMonitor, forks, tray, notes };
}

/** Waits (briefly, in real time) for the shell's async start-up or shutdown to reach a state. */
export async function until(predicate: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!predicate()) throw new Error(`${what} not reached in time`);
}
