import { join } from 'node:path';
import { HearthError } from '../../common/errors.ts';
import type { Capability } from '../capability.ts';
import type { Ports } from '../ports.ts';
import { writeHearthLauncher } from './launcher.ts';
import { createConsoleSessions } from './sessions.ts';
import { consoleShell } from './shell.ts';

export interface ConsoleCapabilityOptions {
  /** Off in the daemon unless it was started with --console; on in the desktop app. */
  enabled: boolean;
}

export const CONSOLE_DISABLED_MESSAGE =
  'The console is off in this Hearth daemon, because it gives anyone with this page\'s link a shell on this machine. ' +
  'To use it, stop the daemon and start it again with `hearth daemon --console`.';

/** `console:*`: a terminal on this machine, one set of sessions per connected client. */
export function createConsoleCapability(ports: Pick<Ports, 'clock' | 'logger' | 'paths'>, options: ConsoleCapabilityOptions) {
  const sessions = createConsoleSessions({
    clock: ports.clock,
    logger: ports.logger,
    // Rewritten on each open so the launcher always runs the install that is running now.
    shell: async () =>
      consoleShell({ dataDir: ports.paths.dataDir, launcherDir: await writeHearthLauncher(join(ports.paths.cacheDir, 'console-bin')) }),
    // Loaded on first use only: the engine at rest carries no terminal code.
    loadSpawn: async () => (await import('node-pty')).spawn,
  });
  const enabled = (): void => {
    if (!options.enabled) throw new HearthError('console_disabled', CONSOLE_DISABLED_MESSAGE);
  };
  return {
    handlers: {
      'console:open': ({ cols, rows }, caller) => {
        enabled();
        return sessions.open(caller, cols, rows);
      },
      'console:input': ({ id, data }, caller) => {
        sessions.input(caller, id, data);
        return {};
      },
      'console:resize': ({ id, cols, rows }, caller) => {
        sessions.resize(caller, id, cols, rows);
        return {};
      },
      'console:ack': ({ id, seq }, caller) => {
        sessions.ack(caller, id, seq);
        return {};
      },
      'console:close': async ({ id }, caller) => {
        await sessions.close(caller, id);
        return {};
      },
    },
    sessions,
    stop: () => sessions.stop(),
  } satisfies Capability & { sessions: unknown };
}
