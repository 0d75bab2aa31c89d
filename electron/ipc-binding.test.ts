import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebContents } from 'electron';
import type { Caller } from '../common/ipc/caller.ts';
import type { Envelope } from '../common/ipc/define.ts';
import type { Provider } from '../core/provider.ts';
import { bindIpc, type IpcMainLike, type SenderContents } from './ipc-binding.ts';
import { APP_ORIGIN } from './security.ts';
import { EVENT_CHANNEL } from './ipc-channels.ts';

// The real WebContents must fit the slice the binding relies on.
const fits: (contents: WebContents) => SenderContents = (contents) => contents;
void fits;

function fakeSender(id: number) {
  const sent: unknown[][] = [];
  let destroyed = false;
  let onDestroyed: (() => void) | undefined;
  const sender: SenderContents = {
    id,
    isDestroyed: () => destroyed,
    send: (...args) => void sent.push(args),
    once: (_event, listener) => (onDestroyed = listener),
  };
  return {
    sender,
    sent,
    destroy() {
      destroyed = true;
      onDestroyed?.();
    },
  };
}

test('each window is its own client: events sent to it reach it alone, and it is closed when destroyed', async () => {
  const callers: (Caller | undefined)[] = [];
  const provider: Provider = {
    dispatch: (_channel, _payload, caller) => {
      callers.push(caller);
      return Promise.resolve({ ok: true, value: {} });
    },
    onEvent: () => () => undefined,
    stop: () => Promise.resolve(),
  };
  let handler: ((event: Parameters<Parameters<IpcMainLike['handle']>[1]>[0], ...args: unknown[]) => Promise<Envelope>) | undefined;
  const ipc: IpcMainLike = { handle: (_channel, listener) => void (handler = listener), removeHandler: () => undefined };
  const unbind = bindIpc(ipc, provider, () => null);
  const frame = { url: `${APP_ORIGIN}/index.html`, parent: null };
  const one = fakeSender(1);
  const two = fakeSender(2);
  await handler!({ senderFrame: frame, sender: one.sender }, 'console:open', {});
  await handler!({ senderFrame: frame, sender: one.sender }, 'console:input', {});
  await handler!({ senderFrame: frame, sender: two.sender }, 'console:open', {});
  const [a, again, b] = callers;
  assert.ok(a && b);
  assert.equal(a, again, 'one caller per window, kept across calls');
  assert.notEqual(a.id, b.id);
  a.send('console:data', { id: 'c1', seq: 1, data: 'hi' });
  assert.deepEqual(one.sent, [[EVENT_CHANNEL, 'console:data', { id: 'c1', seq: 1, data: 'hi' }]]);
  assert.deepEqual(two.sent, []);
  let closed = 0;
  a.onClose(() => (closed += 1));
  one.destroy();
  assert.equal(closed, 1, 'its sessions are told the window is gone');
  a.send('console:data', { id: 'c1', seq: 2, data: 'late' });
  assert.equal(one.sent.length, 1, 'nothing is sent to a destroyed window');
  let closedTwo = 0;
  b.onClose(() => (closedTwo += 1));
  unbind();
  assert.equal(closedTwo, 1, 'unbinding closes the remaining windows\' clients');
});
