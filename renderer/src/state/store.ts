import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HearthClient } from '../../../common/ipc/client.ts';
import type { HearthContract } from '../../../common/ipc/contract.ts';
import type { AppStatus } from '../../../common/ipc/groups/app.ts';
import type { Settings, SettingsPatch } from '../../../common/settings.ts';
import { isHearthError } from '../../../common/errors.ts';
import type { Connection, ConnectionState } from './transport.ts';

export type Client = HearthClient<HearthContract>;

/** What the UI shows for a failed call: the stable code and core's sentence. */
export interface CallError {
  code: string;
  message: string;
}

/** Turns anything a call threw into a CallError; unknown failures get a generic sentence. */
export function toCallError(error: unknown): CallError {
  if (isHearthError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'Something went wrong talking to Hearth. Try again; if it keeps happening, check the log.' };
}

export interface HearthState {
  connection: ConnectionState;
  transportKind: Connection['kind'];
  status: AppStatus | null;
  statusError: CallError | null;
  /** Settings as core last reported them (never a guess: updates wait for the answer). */
  settings: Settings | null;
  settingsError: CallError | null;
  /** Field paths ("general.theme") with an update in flight. */
  saving: Readonly<Record<string, true>>;
  /** Field paths whose last update failed, with core's message. */
  fieldErrors: Readonly<Record<string, string>>;

  refreshStatus(): Promise<void>;
  loadSettings(): Promise<void>;
  /** Sends a patch; resolves true when core accepted it. Errors land in `fieldErrors`. */
  updateSettings(patch: SettingsPatch): Promise<boolean>;
  retryConnection(): void;
}

export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface HearthStoreOptions {
  client: Client;
  connection: Connection;
  timers?: IntervalTimers;
  /** How often app:status (and so uptime) is refreshed while connected. */
  statusIntervalMs?: number;
}

export type HearthStore = StoreApi<HearthState> & {
  client: Client;
  /** Starts listening to the connection and core's events; returns a stop function. */
  start(): () => void;
};

/** The dotted paths a patch touches, e.g. { general: { theme } } → ["general.theme"]. */
export function patchPaths(patch: SettingsPatch): string[] {
  const paths: string[] = [];
  for (const [section, fields] of Object.entries(patch)) {
    if (fields && typeof fields === 'object') {
      for (const field of Object.keys(fields)) paths.push(`${section}.${field}`);
    }
  }
  return paths;
}

function without<T>(record: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  const next = { ...record };
  for (const key of keys) delete next[key];
  return next;
}

export function createHearthStore({ client, connection, timers, statusIntervalMs = 5000 }: HearthStoreOptions): HearthStore {
  const intervals: IntervalTimers = timers ?? {
    setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
    clearInterval: (handle) => globalThis.clearInterval(handle as number),
  };

  const store = createStore<HearthState>()((set) => ({
    connection: connection.state(),
    transportKind: connection.kind,
    status: null,
    statusError: null,
    settings: null,
    settingsError: null,
    saving: {},
    fieldErrors: {},

    async refreshStatus() {
      try {
        const status = await client.call('app:status', {});
        set({ status, statusError: null });
      } catch (error) {
        set({ statusError: toCallError(error) });
      }
    },

    async loadSettings() {
      try {
        const settings = await client.call('settings:get', {});
        set({ settings, settingsError: null });
      } catch (error) {
        set({ settingsError: toCallError(error) });
      }
    },

    async updateSettings(patch) {
      const paths = patchPaths(patch);
      set((state) => ({
        saving: { ...state.saving, ...Object.fromEntries(paths.map((path) => [path, true as const])) },
        fieldErrors: without(state.fieldErrors, paths),
      }));
      try {
        const settings = await client.call('settings:update', patch);
        set((state) => ({ settings, saving: without(state.saving, paths) }));
        return true;
      } catch (error) {
        const { message } = toCallError(error);
        set((state) => ({
          saving: without(state.saving, paths),
          fieldErrors: { ...state.fieldErrors, ...Object.fromEntries(paths.map((path) => [path, message])) },
        }));
        return false;
      }
    },

    retryConnection() {
      connection.retryNow();
    },
  }));

  const start = () => {
    let poll: unknown = null;
    const stopPolling = () => {
      if (poll !== null) intervals.clearInterval(poll);
      poll = null;
    };
    const onConnected = () => {
      // Anything may have changed while we were away: reload rather than trust the old copy.
      void get().refreshStatus();
      void get().loadSettings();
      stopPolling();
      poll = intervals.setInterval(() => void get().refreshStatus(), statusIntervalMs);
    };
    const get = store.getState;
    const offState = connection.onStateChange((state) => {
      store.setState({ connection: state });
      if (state === 'connected') onConnected();
      else stopPolling();
    });
    const offSettings = client.on('settings:changed', (settings) => store.setState({ settings }));
    store.setState({ connection: connection.state() });
    if (connection.state() === 'connected') onConnected();
    return () => {
      offState();
      offSettings();
      stopPolling();
    };
  };

  return Object.assign(store, { client, start });
}
