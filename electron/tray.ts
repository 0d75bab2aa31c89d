/**
 * The tray icon and its menu, kept in step with core: it listens to the scheduler's and the
 * market's status events, and its menu actions go through the provider's dispatch — the
 * same checked path as IPC from the window.
 */
import { join } from 'node:path';
import type * as Electron from 'electron';
import { earningsSummary, marketStatus, type MarketStatus } from '../common/ipc/groups/market.ts';
import { schedulerStatus, type SchedulerStatus } from '../common/ipc/groups/scheduler.ts';
import type { Logger } from '../core/ports.ts';
import type { Provider } from '../core/provider.ts';
import { tokens } from '../core/notifications/rules.ts';
import { trayMenuTemplate, type TrayActions } from './tray-menu.ts';
import { trayIconFile, trayViewOf, type TrayView } from './tray-state.ts';

/**
 * The tray members used. Event methods are spelled out for the one event each uses: the
 * real ones return `this`, which a Pick<> would pin to the whole Tray class.
 */
export type TrayHandle = Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy'> & {
  on(event: 'click', listener: () => void): unknown;
};

/** The parts of the electron module the tray uses (Tray is built from an icon path). */
export interface TrayEdges {
  Tray: new (image: string) => TrayHandle;
  Menu: Pick<typeof Electron.Menu, 'buildFromTemplate'>;
  nativeTheme: Pick<Electron.NativeTheme, 'shouldUseDarkColors' | 'shouldUseDarkColorsForSystemIntegratedUI'> & {
    on(event: 'updated', listener: () => void): unknown;
    removeListener(event: 'updated', listener: () => void): unknown;
  };
}

export interface TrayOptions {
  /** dist/electron/tray: the rendered icons. */
  iconDir: string;
  platform: NodeJS.Platform;
  core: Pick<Provider, 'dispatch' | 'onEvent'>;
  logger: Logger;
  open(): void;
  quit(): void;
  /** For tests: when "today" is. */
  now?: () => number;
}

export interface HearthTray {
  view(): TrayView;
  /** Reads statuses and today's earnings again (also done on every status event). */
  refresh(): Promise<void>;
  destroy(): void;
}

export function startTray(edges: TrayEdges, options: TrayOptions): HearthTray {
  const { core, logger } = options;
  let scheduler: SchedulerStatus | null = null;
  let market: MarketStatus | null = null;
  let today: string | null = null;
  let shown = '';
  let destroyed = false;
  const now = options.now ?? Date.now;
  /** The local day today's total was read on. */
  let readOn = '';
  const dayOf = (ms: number): string => new Date(ms).toDateString();

  // Windows can have a dark task bar with light apps (and back): its task bar follows the
  // *system* mode. Linux desktops report one mode for both.
  const darkTaskbar = (): boolean =>
    options.platform === 'win32' ? edges.nativeTheme.shouldUseDarkColorsForSystemIntegratedUI : edges.nativeTheme.shouldUseDarkColors;
  const iconPath = (view: TrayView) => join(options.iconDir, trayIconFile(view.state, options.platform, darkTaskbar()));
  const tray = new edges.Tray(iconPath(trayViewOf(null, null)));

  /** Calls core like the window does; a refusal is logged, never thrown into Electron's menu code. */
  const call = async (channel: string, payload: unknown): Promise<unknown> => {
    const reply = await core.dispatch(channel, payload);
    if (reply.ok) return reply.value;
    logger.warn('tray call refused', { channel, code: reply.code, message: reply.message });
    return undefined;
  };

  const actions: TrayActions = {
    pauseHour: () => void act('scheduler:pause', { duration: 'hour' }),
    pauseTomorrow: () => void act('scheduler:pause', { duration: 'tomorrow' }),
    resume: () => void act('scheduler:resume', {}),
    open: () => options.open(),
    quit: () => options.quit(),
  };

  async function act(channel: string, payload: unknown): Promise<void> {
    const value = await call(channel, payload);
    const parsed = schedulerStatus.safeParse(value);
    if (parsed.success) {
      scheduler = parsed.data;
      render();
    }
  }

  function render(): void {
    if (destroyed) return;
    const view = trayViewOf(scheduler, market);
    const key = JSON.stringify([view, today, darkTaskbar()]);
    if (key === shown) return;
    shown = key;
    tray.setImage(iconPath(view));
    tray.setToolTip(`Hearth: ${view.title}`);
    tray.setContextMenu(edges.Menu.buildFromTemplate(trayMenuTemplate(view, today, actions)));
  }

  async function readEarnings(): Promise<void> {
    readOn = dayOf(now());
    const parsed = earningsSummary.safeParse(await call('market:earnings', {}));
    today = parsed.success ? `${tokens(parsed.data.todayWei)} HRTH` : null;
  }

  async function refresh(): Promise<void> {
    const [s, m] = await Promise.all([call('scheduler:status', {}), call('market:status', {})]);
    const ps = schedulerStatus.safeParse(s);
    const pm = marketStatus.safeParse(m);
    if (ps.success) scheduler = ps.data;
    if (pm.success) market = pm.data;
    await readEarnings();
    render();
  }

  const unsubscribe = core.onEvent((channel, payload) => {
    if (channel === 'scheduler:status') {
      const parsed = schedulerStatus.safeParse(payload);
      if (parsed.success) scheduler = parsed.data;
      render();
    } else if (channel === 'market:status') {
      const parsed = marketStatus.safeParse(payload);
      if (!parsed.success) return;
      const paidBefore = market?.jobsPaid;
      market = parsed.data;
      // Today's total changes with a payment or a new day: read it then (or until the ledger answers), not on every status.
      if (paidBefore !== market.jobsPaid || today === null || dayOf(now()) !== readOn) void readEarnings().then(render);
      else render();
    }
  });
  const onTheme = (): void => render();
  edges.nativeTheme.on('updated', onTheme);
  // A click on the icon opens the window on Windows and Linux; on macOS a click opens the menu.
  if (options.platform !== 'darwin') tray.on('click', () => options.open());
  void refresh();

  return {
    view: () => trayViewOf(scheduler, market),
    refresh,
    destroy() {
      destroyed = true;
      unsubscribe();
      edges.nativeTheme.removeListener('updated', onTheme);
      tray.destroy();
    },
  };
}
