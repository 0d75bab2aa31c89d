import { join, resolve } from 'node:path';
import { HearthError } from '../../common/errors.ts';
import type { Tensor } from '../../common/worker/protocol.ts';
import { createStderrLogger, defaultAppPaths, forkLauncher, systemClock } from '../node-ports.ts';
import { createModelStore, type ModelStore, type ResolvedModel } from '../models/store.ts';
import { createWorkerSupervisor, type WorkerSupervisor } from './supervisor.ts';

/**
 * A worker and model store for one-shot tools (`hearth infer`, `hearth bench`) that run
 * without the daemon: same isolation, same checks, the profile's model cache.
 */
export function createLocalInference(env: NodeJS.ProcessEnv = process.env): { supervisor: WorkerSupervisor; store: ModelStore } {
  const paths = defaultAppPaths(env);
  const logger = createStderrLogger(env.HEARTH_LOG_LEVEL === 'debug' ? 'debug' : 'error');
  const store = createModelStore({ cacheDir: paths.cacheDir, logger });
  const supervisor = createWorkerSupervisor({
    launcher: forkLauncher,
    clock: systemClock,
    logger,
    workDir: join(paths.cacheDir, 'worker'),
    modelPaths: store.readPaths(),
    env,
    restart: { maxConsecutive: 0 },
  });
  return { supervisor, store };
}

/**
 * A catalog id or a path to an .onnx file, resolved to verified bytes on disk. A file given by
 * path is granted to the worker (exactly that file), which may read nothing else of the user's.
 */
export async function resolveModelArg(
  { store, supervisor }: { store: ModelStore; supervisor: WorkerSupervisor },
  arg: string,
  onProgress?: (received: number, total: number) => void,
): Promise<ResolvedModel> {
  const known = store.entries().some((e) => e.id === arg);
  if (known) return store.ensure(arg, (p) => onProgress?.(p.receivedBytes, p.totalBytes));
  // Relative to where the user ran the command, not to the worker's own folder.
  if (/\.onnx$/i.test(arg) || arg.includes('/') || arg.includes('\\')) {
    const model = await store.openFile(resolve(arg));
    supervisor.allowRead(model.path);
    return model;
  }
  throw new HearthError('model_unknown', `"${arg}" is neither a catalog model (${store.entries().map((e) => e.id).join(', ')}) nor a path to an .onnx file.`);
}

/** Gives an unnamed tensor (from a .npy file) the name of the model's only input. */
export function nameInputs(inputs: Record<string, Tensor>, inputNames: string[] | undefined): Record<string, Tensor> {
  const unnamed = inputs[''];
  if (!unnamed) return inputs;
  if (!inputNames || inputNames.length !== 1) {
    throw new HearthError('input_unreadable', `A single unnamed tensor only works for a model with one input; this model takes ${inputNames ? inputNames.join(', ') : 'named inputs'}: use a JSON file with named tensors.`);
  }
  return { [inputNames[0] as string]: unnamed };
}
