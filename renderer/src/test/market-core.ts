import { act } from '@testing-library/react';
import type { Envelope } from '../../../common/ipc/define.ts';
import { defaultSettings, type Settings } from '../../../common/settings.ts';
import { fakeCore, type Answer } from './fake-core.ts';
import * as fx from './market-fixtures.ts';

const ok = (value: unknown): Envelope => ({ ok: true, value });

/**
 * A fake core for the market pages: market:*, wallet:status, hardware:list and settings
 * answered from the fixtures, settings:update merging patches. `answers` override any channel.
 */
export function marketCore(answers: Record<string, Answer> = {}, initial: Settings = defaultSettings()) {
  let settings = initial;
  const core = fakeCore({
    'market:status': () => ok(fx.marketStatus()),
    'market:earnings': () => ok(fx.earningsSummary()),
    'market:jobs': () => ok({ jobs: fx.jobs(12), total: 12 }),
    'market:job': (p) => ok(fx.jobDetail(fx.jobs(12).find((j) => j.key === (p as { key: string }).key) ?? fx.job(0))),
    'market:preview-register': () => ok(fx.registerPreview()),
    'market:reconcile': () => ok(fx.marketStatus()),
    'wallet:status': () => ok(fx.walletStatus()),
    'hardware:list': () => ok(fx.hardwareView()),
    'scheduler:status': () => ({ ok: false, code: 'unavailable', message: 'not in this test' }),
    'settings:get': () => ok(settings),
    'settings:update': (patch) => {
      const p = patch as Record<string, Record<string, unknown>>;
      const next = structuredClone(settings) as unknown as Record<string, Record<string, unknown>>;
      for (const [section, fields] of Object.entries(p)) next[section] = { ...next[section], ...fields };
      settings = next as unknown as Settings;
      return ok(settings);
    },
    ...answers,
  });
  return {
    ...core,
    settings: () => settings,
    /** Pushes an event inside act(), so React has rendered it when this resolves. */
    push: async (channel: string, payload: unknown) => {
      await act(async () => core.emit(channel, payload));
    },
    /** The payloads sent on one channel, in order. */
    sent: (channel: string) => core.calls.filter((c) => c.channel === channel).map((c) => c.payload),
  };
}
