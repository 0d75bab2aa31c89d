import type { Envelope } from '../common/ipc/define.ts';
import { createCaller, type OwnedCaller } from '../common/ipc/caller.ts';
import type { Provider } from '../core/provider.ts';
import { isTrustedSender, type SenderFrame } from './security.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.ts';

/** The slice of a sending WebContents the binding uses: events for one client go back to it alone. */
export interface SenderContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

/**
 * The slice of ipcMain this binding uses, so tests can hand in a fake. desktop.ts passes
 * `Pick<Electron.IpcMain, 'handle' | 'removeHandler'>` here, so the compiler checks this
 * shape against Electron's declarations (IpcMainInvokeEvent.senderFrame is a WebFrameMain).
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: SenderFrame | null; sender?: SenderContents }, ...args: unknown[]) => Promise<Envelope>): void;
  removeHandler(channel: string): void;
}

export interface EventSink {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/**
 * Serves core over Electron IPC: checks the sender frame (app origin, top frame) before
 * dispatch(), and forwards core's events to the window. Each sending WebContents is one
 * client to core (its console sessions, its events), closed when it is destroyed.
 * Returns an unbind function.
 */
export function bindIpc(ipcMain: IpcMainLike, provider: Provider, target: () => EventSink | null): () => void {
  const callers = new Map<number, OwnedCaller>();
  const callerFor = (sender: SenderContents): OwnedCaller => {
    const known = callers.get(sender.id);
    if (known) return known;
    const caller = createCaller('window', (channel, payload) => {
      if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, channel, payload);
    });
    callers.set(sender.id, caller);
    sender.once('destroyed', () => {
      callers.delete(sender.id);
      caller.close();
    });
    return caller;
  };
  ipcMain.handle(CALL_CHANNEL, async (event, channel, payload) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, code: 'forbidden', message: 'This page is not allowed to talk to Hearth.' };
    }
    return provider.dispatch(channel, payload, event.sender ? callerFor(event.sender) : undefined);
  });
  const unsubscribe = provider.onEvent((channel, payload) => {
    const sink = target();
    if (sink && !sink.isDestroyed()) sink.send(EVENT_CHANNEL, channel, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
    for (const caller of callers.values()) caller.close();
    callers.clear();
  };
}
