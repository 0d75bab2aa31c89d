import { HearthError } from '../errors.ts';
import type { CallInput, CallName, CallOutput, ContractShape, Envelope, EventName, EventPayload } from './define.ts';

/** What a client needs from a transport: send a call, hear results and events. */
export interface ClientTransport {
  /** Sends one call and resolves with its envelope (the transport matches replies). */
  request(channel: string, payload: unknown): Promise<Envelope>;
  /** Subscribes to every event; returns an unsubscribe function. */
  subscribe(listener: (channel: string, payload: unknown) => void): () => void;
}

export interface HearthClient<C extends ContractShape> {
  call<K extends CallName<C>>(channel: K, input: CallInput<C, K>): Promise<CallOutput<C, K>>;
  on<K extends EventName<C>>(event: K, listener: (payload: EventPayload<C, K>) => void): () => void;
}

/**
 * The typed client every caller uses (renderer, CLI, tests). It validates results and
 * events against the same contract core answers with, and turns `ok:false` into a
 * HearthError carrying the code and message.
 */
export function createClient<C extends ContractShape>(contract: C, transport: ClientTransport): HearthClient<C> {
  return {
    async call(channel, input) {
      const envelope = await transport.request(channel, input);
      if (!envelope.ok) throw new HearthError(envelope.code, envelope.message);
      const spec = contract.calls[channel];
      if (!spec) throw new HearthError('unknown_channel', `There is no call named ${channel}.`);
      const parsed = spec.output.safeParse(envelope.value);
      if (!parsed.success) throw new HearthError('bad_output', `${channel} answered with data this version does not understand.`);
      return parsed.data as CallOutput<C, typeof channel>;
    },
    on(event, listener) {
      const schema = contract.events[event];
      return transport.subscribe((channel, payload) => {
        if (channel !== event || !schema) return;
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<C, typeof event>);
      });
    },
  };
}
