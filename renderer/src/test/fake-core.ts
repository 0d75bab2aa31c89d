import type { ClientTransport } from '../../../common/ipc/client.ts';
import type { Envelope } from '../../../common/ipc/define.ts';
import { defaultSettings, type Settings } from '../../../common/settings.ts';

export type Answer = (payload: unknown) => Envelope | Promise<Envelope>;

/**
 * Core as the renderer sees it: a ClientTransport answering from a table, recording calls,
 * and able to push events. Replies still pass the real contract's output schemas in the client.
 */
export function fakeCore(answers: Record<string, Answer> = {}) {
  const calls: { channel: string; payload: unknown }[] = [];
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  let settings: Settings = defaultSettings();
  const defaults: Record<string, Answer> = {
    'app:status': () => ({
      ok: true,
      value: { name: 'Hearth', version: '9.9.9', shell: 'daemon', startedAt: 1, uptimeSeconds: 42, dataDir: '/data/hearth', platform: 'linux-x64', runtime: 'Node 24', warnings: [] },
    }),
    'settings:get': () => ({ ok: true, value: settings }),
  };
  const transport: ClientTransport = {
    async request(channel, payload) {
      calls.push({ channel, payload });
      const answer = answers[channel] ?? defaults[channel];
      if (!answer) return { ok: false, code: 'unavailable', message: `${channel} is not part of this test.` };
      return answer(payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    transport,
    calls,
    setSettings: (next: Settings) => (settings = next),
    emit: (channel: string, payload: unknown) => listeners.forEach((listener) => listener(channel, payload)),
  };
}
