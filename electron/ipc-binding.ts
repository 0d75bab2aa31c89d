import type { Envelope } from '../common/ipc/define.ts';
import type { Provider } from '../core/provider.ts';
import { isTrustedSender, type SenderFrame } from './security.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.ts';

/**
 * The slice of ipcMain this binding uses, so tests can hand in a fake. desktop.ts passes
 * `Pick<Electron.IpcMain, 'handle' | 'removeHandler'>` here, so the compiler checks this
 * shape against Electron's declarations (IpcMainInvokeEvent.senderFrame is a WebFrameMain).
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => Promise<Envelope>): void;
  removeHandler(channel: string): void;
}

export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/**
 * Serves core over Electron IPC: checks the sender frame (app origin, top frame) before
 * dispatch(), and forwards core's events to the window. Returns an unbind function.
 */
export function bindIpc(ipcMain: IpcMainLike, provider: Provider, target: () => EventSink | null): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, channel, payload) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, code: 'forbidden', message: 'This page is not allowed to talk to Hearth.' };
    }
    return provider.dispatch(channel, payload);
  });
  const unsubscribe = provider.onEvent((channel, payload) => {
    const sink = target();
    if (sink && !sink.isDestroyed()) sink.send(EVENT_CHANNEL, channel, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
