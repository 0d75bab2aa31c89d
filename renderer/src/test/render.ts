import type { ReactElement } from 'react';
import { createElement } from 'react';
import { render } from '@testing-library/react';
import { createClient } from '../../../common/ipc/client.ts';
import { contract } from '../../../common/ipc/contract.ts';
import { HearthProvider } from '../state/context.tsx';
import { createHearthStore } from '../state/store.ts';
import type { Connection, ConnectionState } from '../state/transport.ts';
import type { ClientTransport } from '../../../common/ipc/client.ts';

/** A connection whose state the test sets by hand. */
export function manualConnection(initial: ConnectionState = 'connected', transport: Connection['transport']) {
  let state = initial;
  const listeners = new Set<(s: ConnectionState) => void>();
  const connection: Connection = {
    kind: 'socket',
    transport,
    state: () => state,
    onStateChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retryNow: () => undefined,
    close: () => undefined,
  };
  return { connection, set: (next: ConnectionState) => ((state = next), listeners.forEach((l) => l(next))) };
}

/** Renders `element` inside the app's store, backed by a fake core. */
export function renderWithCore(element: ReactElement, core: { transport: ClientTransport }, initial: ConnectionState = 'connected') {
  const client = createClient(contract, core.transport);
  const link = manualConnection(initial, core.transport);
  const store = createHearthStore({ client, connection: link.connection, timers: { setInterval: () => 0, clearInterval: () => undefined } });
  const stop = store.start();
  const view = render(createElement(HearthProvider, { store, children: element }));
  return { ...view, store, link, stop };
}
