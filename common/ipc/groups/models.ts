import { z } from 'zod';
import { call } from '../define.ts';
import { modelListing } from '../../worker/model-spec.ts';

const empty = z.object({}).strict().prefault({});

export const modelsCalls = {
  /** The model catalog, with whether each model's bytes are already on this machine. */
  'models:list': call(empty, z.array(modelListing)),
};

export const modelsEvents = {};
