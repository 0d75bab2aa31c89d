import { z } from 'zod';
import { call } from '../define.ts';
import { settingsPatch, settingsSchema } from '../../settings.ts';

export const settingsCalls = {
  'settings:get': call(z.object({}).strict().prefault({}), settingsSchema),
  'settings:update': call(settingsPatch, settingsSchema),
};

export const settingsEvents = {
  'settings:changed': settingsSchema,
};
