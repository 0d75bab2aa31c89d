import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createProvider, type Provider } from '../core/provider.ts';
import type { AppPaths, Ports } from '../core/ports.ts';
import {
  createLogNotifier,
  createStderrLogger,
  defaultAppPaths,
  forkLauncher,
  noSecretStore,
  systemClock,
} from '../core/node-ports.ts';
import { appVersion } from '../core/app/version.ts';
import { appRoot } from '../core/app/layout.ts';
import { createHeadlessActivity } from '../core/activity/headless.ts';
import { startApiServer } from './api-server.ts';
import { accessUrl, newToken } from './token.ts';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file.ts';

// The same from sources (daemon/daemon.ts) and from the bundle (dist/daemon/hearth.mjs).
export const repoRoot = appRoot();
export const defaultRendererDir = join(repoRoot, 'dist', 'renderer');

export interface DaemonOptions {
  dataDir?: string;
  port?: number;
  rendererDir?: string;
  /** Serve the Console (a shell on this machine, behind the token): only when asked for, `hearth daemon --console`. */
  console?: boolean;
  /** Replace individual ports (tests pass a fake clock or activity source). */
  ports?: Partial<Ports>;
}

export interface RunningDaemon {
  url: string;
  port: number;
  token: string;
  provider: Provider;
  stop(): Promise<void>;
}

/** Starts core without a display and serves it on 127.0.0.1 behind a per-run token. */
export async function startDaemon(options: DaemonOptions = {}): Promise<RunningDaemon> {
  const paths: AppPaths = options.dataDir
    ? { dataDir: options.dataDir, cacheDir: join(options.dataDir, 'cache'), logsDir: join(options.dataDir, 'logs') }
    : defaultAppPaths();
  await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
  const logger = options.ports?.logger ?? createStderrLogger(process.env.HEARTH_LOG === 'debug' ? 'debug' : 'info');
  const ports: Ports = {
    shell: 'daemon',
    version: appVersion(),
    clock: systemClock,
    logger,
    paths,
    secrets: noSecretStore,
    launcher: forkLauncher,
    notifier: createLogNotifier(logger),
    activity: createHeadlessActivity({ clock: systemClock }),
    ...options.ports,
  };
  const provider = await createProvider(ports, { simulator: process.env.HEARTH_SIMULATOR === 'off' ? 'off' : 'auto', console: options.console ? 'on' : 'off' });
  const token = newToken();
  let server;
  try {
    server = await startApiServer({
      provider,
      token,
      logger,
      port: options.port ?? 0,
      rendererDir: options.rendererDir ?? defaultRendererDir,
    });
  } catch (error) {
    await provider.stop();
    throw error;
  }
  await writeRuntimeFile(paths.dataDir, { shell: 'daemon', pid: process.pid, port: server.port, token, startedAt: Date.now() });
  let stopping: Promise<void> | undefined;
  return {
    url: accessUrl(server.port, token),
    port: server.port,
    token,
    provider,
    stop() {
      stopping ??= (async () => {
        await server.close();
        await provider.stop();
        await removeRuntimeFile(paths.dataDir, process.pid);
      })();
      return stopping;
    },
  };
}
