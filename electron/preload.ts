// The whole bridge: the renderer gets a ClientTransport (request + subscribe) for the
// allowlisted contract channels, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { callNames, eventNames } from '../common/ipc/contract.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.ts';

const calls = new Set<string>(callNames);
const events = new Set<string>(eventNames);

contextBridge.exposeInMainWorld('hearth', {
  request(channel: unknown, payload: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !calls.has(channel)) {
      return Promise.resolve({ ok: false, code: 'unknown_channel', message: `There is no call named ${String(channel)}.` });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, channel, payload);
  },
  subscribe(listener: (channel: string, payload: unknown) => void): () => void {
    const handler = (_event: unknown, channel: unknown, payload: unknown): void => {
      if (typeof channel === 'string' && events.has(channel)) listener(channel, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
});
