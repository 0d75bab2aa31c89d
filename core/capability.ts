import type { EventName, EventPayload, Handlers } from '../common/ipc/define.ts';
import type { HearthContract } from '../common/ipc/contract.ts';
import type { Ports } from './ports.ts';
import type { SettingsStore } from './settings/store.ts';

export type AllHandlers = Handlers<HearthContract>;
export type Emit = <K extends EventName<HearthContract>>(event: K, payload: EventPayload<HearthContract, K>) => void;

/** What every capability is built from. */
export interface CapabilityContext {
  ports: Ports;
  settings: SettingsStore;
  emit: Emit;
}

/** A slice of the engine: its call handlers and an optional lifecycle. */
export interface Capability<H extends Partial<AllHandlers> = Partial<AllHandlers>> {
  handlers: H;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}
