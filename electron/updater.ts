/**
 * core's Updater port on the desktop, over electron-updater: checks a few seconds after
 * start and every few hours, downloads what it finds (with progress), and installs when
 * core says so (core waits for a running paid job; see core/update). Only the packaged
 * app updates itself: a checkout has no update feed and nothing to replace.
 */
import type { AppUpdater, ProgressInfo, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import type { UpdateState } from '../common/ipc/groups/update.ts';
import type { Clock, Logger, Updater } from '../core/ports.ts';

/** The first check waits for start-up to settle; later ones come every few hours. */
export const FIRST_CHECK_MS = 15_000;
export const CHECK_EVERY_MS = 4 * 3_600_000;
export const UNPACKAGED_REASON = 'This is a development run of Hearth: only the installed app updates itself.';

/**
 * The electron-updater members used. Event methods are spelled out per event: the real
 * `on` returns `this`, which a Pick<> would pin to the whole AppUpdater class.
 */
export type UpdaterEdge = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'logger' | 'checkForUpdates' | 'quitAndInstall'> & {
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available' | 'update-not-available', listener: (info: UpdateInfo) => void): unknown;
  on(event: 'download-progress', listener: (info: ProgressInfo) => void): unknown;
  on(event: 'update-downloaded', listener: (info: UpdateDownloadedEvent) => void): unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
};

export interface ElectronUpdaterOptions {
  packaged: boolean;
  /** Loads electron-updater's autoUpdater (lazily: it is only needed when packaged). */
  load: () => Promise<UpdaterEdge>;
  clock: Clock;
  logger: Logger;
}

/** A short sentence from an updater error (its messages can carry whole HTTP bodies). */
export function updateErrorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const first = (raw.split('\n')[0] ?? '').trim().slice(0, 200);
  return `Could not update Hearth (${first || 'unknown error'}). It tries again in a few hours; you can also download the new version yourself.`;
}

export function createElectronUpdater(options: ElectronUpdaterOptions): Updater & { stop(): void } {
  const { clock, logger } = options;
  let state: UpdateState = options.packaged ? { state: 'idle', checkedAt: null } : { state: 'unsupported', reason: UNPACKAGED_REASON };
  const listeners = new Set<(s: UpdateState) => void>();
  let edge: UpdaterEdge | null = null;
  let loading: Promise<UpdaterEdge | null> | null = null;
  let pendingVersion = '';

  const set = (next: UpdateState): void => {
    state = next;
    for (const listener of listeners) listener(next);
  };

  const attach = (u: UpdaterEdge): UpdaterEdge => {
    u.autoDownload = true;
    // A download the user never restarts for is installed when they next quit.
    u.autoInstallOnAppQuit = true;
    u.logger = { info: (m?: unknown) => logger.info(`updater: ${String(m)}`), warn: (m?: unknown) => logger.warn(`updater: ${String(m)}`), error: (m?: unknown) => logger.error(`updater: ${String(m)}`) };
    u.on('checking-for-update', () => set({ state: 'checking' }));
    u.on('update-not-available', () => set({ state: 'idle', checkedAt: clock.now() }));
    u.on('update-available', (info) => {
      pendingVersion = info.version;
      set({ state: 'available', version: info.version });
    });
    u.on('download-progress', (p) => {
      const percent = Math.min(100, Math.max(0, Number.isFinite(p.percent) ? p.percent : 0));
      // Whole percents are enough for a progress bar; finer steps only flood the window.
      if (state.state === 'downloading' && Math.floor(state.percent) === Math.floor(percent)) return;
      set({ state: 'downloading', version: pendingVersion, percent, bytes: Math.max(0, p.transferred), totalBytes: Math.max(0, p.total) });
    });
    u.on('update-downloaded', (info) => set({ state: 'ready', version: info.version, waitingForJob: false }));
    u.on('error', (error) => {
      logger.warn('update failed', { error: String(error) });
      set({ state: 'error', message: updateErrorMessage(error) });
    });
    return u;
  };

  const ensure = (): Promise<UpdaterEdge | null> => {
    if (edge) return Promise.resolve(edge);
    loading ??= options.load().then(
      (u) => (edge = attach(u)),
      (error: unknown) => {
        set({ state: 'error', message: updateErrorMessage(error) });
        loading = null;
        return null;
      },
    );
    return loading;
  };

  async function check(): Promise<void> {
    // Nothing to check in a checkout; a download in progress or done is not started over.
    if (!options.packaged || state.state === 'downloading' || state.state === 'ready' || state.state === 'checking') return;
    const u = await ensure();
    if (!u) return;
    try {
      await u.checkForUpdates();
    } catch (error) {
      set({ state: 'error', message: updateErrorMessage(error) });
    }
  }

  const timers = options.packaged ? [clock.setTimeout(() => void check(), FIRST_CHECK_MS), clock.setInterval(() => void check(), CHECK_EVERY_MS)] : [];

  return {
    state: () => state,
    check,
    install() {
      if (state.state !== 'ready' || !edge) return;
      // Silent install (one-click NSIS) and start the new version afterwards.
      edge.quitAndInstall(true, true);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      const [first, every] = timers;
      if (first) clock.clearTimeout(first);
      if (every) clock.clearInterval(every);
    },
  };
}
