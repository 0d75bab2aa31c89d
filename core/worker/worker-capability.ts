import { join } from 'node:path';
import type { Capability, CapabilityContext } from '../capability.ts';
import { createModelStore, type ModelStore } from '../models/store.ts';
import { createWorkerSupervisor, type WorkerSupervisor } from './supervisor.ts';

/**
 * `models:list`, `worker:status` and the `worker:state` event. It owns the app's one
 * inference worker supervisor and model store; other capabilities (the scheduler's job
 * source) are given these instead of building their own.
 */
export function createWorkerCapability(ctx: CapabilityContext, options: { supervisor?: WorkerSupervisor; store?: ModelStore } = {}) {
  const { ports } = ctx;
  const store = options.store ?? createModelStore({ cacheDir: ports.paths.cacheDir, logger: ports.logger });
  const supervisor =
    options.supervisor ??
    createWorkerSupervisor({
      launcher: ports.launcher,
      clock: ports.clock,
      logger: ports.logger,
      workDir: join(ports.paths.cacheDir, 'worker'),
      modelPaths: store.readPaths(),
      ...(ports.workerEntry ? { entry: ports.workerEntry } : {}),
    });
  let unsubscribe: (() => void) | undefined;
  return {
    supervisor,
    store,
    handlers: {
      'models:list': () => store.list(),
      'worker:status': () => supervisor.status(),
    },
    start() {
      unsubscribe = supervisor.onState((status) => ctx.emit('worker:state', status));
    },
    async stop() {
      unsubscribe?.();
      await supervisor.stop(2000);
    },
  } satisfies Capability & { supervisor: WorkerSupervisor; store: ModelStore };
}
