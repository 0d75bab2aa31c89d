import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Client, HearthState, HearthStore } from './store.ts';

const StoreContext = createContext<HearthStore | null>(null);

export function HearthProvider({ store, children }: { store: HearthStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

function useHearthStore(): HearthStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useHearth must be used inside <HearthProvider>.');
  return store;
}

/**
 * Reads from the app store. Select the smallest thing you need (a primitive or an
 * existing object): a selector that builds a new object each time re-renders forever.
 */
export function useHearth<T>(selector: (state: HearthState) => T): T {
  return useStore(useHearthStore(), selector);
}

/** The typed client, for pages that call their own group (`client.call('wallet:status', {})`). */
export function useClient(): Client {
  return useHearthStore().client;
}
