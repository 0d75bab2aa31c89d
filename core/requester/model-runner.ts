import { join } from 'node:path';
import type { JsonTensor } from '../../common/market/job-format.ts';
import { createStderrLogger, forkLauncher, systemClock } from '../node-ports.ts';
import type { Logger } from '../ports.ts';
import { createModelStore, type ModelStore, type ResolvedModel } from '../models/store.ts';
import { createWorkerSupervisor, type WorkerSupervisor } from '../worker/supervisor.ts';
import { fromJsonTensors, toJsonTensors } from './tensors.ts';

/** Runs a model on job inputs and returns the outputs in the job format. */
export interface ModelRunner {
  run(model: string | ResolvedModel, inputs: Record<string, JsonTensor>): Promise<Record<string, JsonTensor>>;
  /** Resolves a catalog id to verified bytes (for its hash). */
  resolve(model: string | ResolvedModel): Promise<ResolvedModel>;
  stop(): Promise<void>;
}

/** A runner over an existing supervisor and store (the requester's own isolated worker). */
export function workerRunner(supervisor: WorkerSupervisor, store: ModelStore, ownsSupervisor = false): ModelRunner {
  const resolve = async (model: string | ResolvedModel): Promise<ResolvedModel> => (typeof model === 'string' ? store.ensure(model) : model);
  return {
    resolve,
    async run(model, inputs) {
      const result = await supervisor.run({ model: await resolve(model), inputs: fromJsonTensors(inputs) });
      return toJsonTensors(result.outputs);
    },
    async stop() {
      if (ownsSupervisor) await supervisor.stop();
    },
  };
}

/**
 * A runner with its own worker process and model store in `cacheDir`: what the demand
 * simulator and the tests use to check results independently of any provider.
 */
export function createModelRunner(options: { cacheDir: string; logger?: Logger; env?: NodeJS.ProcessEnv; threads?: number }): ModelRunner {
  const logger = options.logger ?? createStderrLogger('error');
  const store = createModelStore({ cacheDir: options.cacheDir, logger });
  const supervisor = createWorkerSupervisor({
    launcher: forkLauncher,
    clock: systemClock,
    logger,
    workDir: join(options.cacheDir, 'requester-worker'),
    modelPaths: store.readPaths(),
    env: options.env ?? process.env,
    ...(options.threads ? { threads: options.threads } : {}),
  });
  return workerRunner(supervisor, store, true);
}
