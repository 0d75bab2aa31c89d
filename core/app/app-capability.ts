import type { Capability, CapabilityContext } from '../capability.ts';
import type { AppStatus } from '../../common/ipc/groups/app.ts';

/** `app:status` and `settings:*`: what every shell needs before any earning exists. */
export function createAppCapability(ctx: CapabilityContext) {
  const { ports, settings } = ctx;
  const startedAt = ports.clock.now();
  const status = (): AppStatus => ({
    name: 'Hearth',
    version: ports.version,
    shell: ports.shell,
    startedAt,
    uptimeSeconds: Math.max(0, (ports.clock.now() - startedAt) / 1000),
    dataDir: ports.paths.dataDir,
    platform: `${process.platform}-${process.arch}`,
    runtime: `Node ${process.versions.node}`,
    warnings: [...settings.warnings],
  });
  let unsubscribe: (() => void) | undefined;
  return {
    handlers: {
      'app:status': () => status(),
      'settings:get': () => settings.get(),
      'settings:update': (patch) => settings.update(patch),
    },
    start() {
      unsubscribe = settings.subscribe((next) => ctx.emit('settings:changed', next));
    },
    stop() {
      unsubscribe?.();
    },
  } satisfies Capability;
}
