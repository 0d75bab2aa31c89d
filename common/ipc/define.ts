import type { z } from 'zod';
import type { Caller } from './caller.ts';

/** One request/response call: both sides are validated by `dispatch()`. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

/** Declares a call from its input and output schemas. */
export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> {
  return { input, output };
}

export type CallMap = Readonly<Record<string, CallSpec>>;
export type EventMap = Readonly<Record<string, z.ZodType>>;

export interface ContractShape {
  readonly calls: CallMap;
  readonly events: EventMap;
}

export type CallName<C extends ContractShape> = keyof C['calls'] & string;
export type EventName<C extends ContractShape> = keyof C['events'] & string;
/** What a caller may pass (before defaults are applied). */
export type CallInput<C extends ContractShape, K extends CallName<C>> = z.input<C['calls'][K]['input']>;
/** What a handler receives (after parsing and defaults). */
export type ParsedInput<C extends ContractShape, K extends CallName<C>> = z.output<C['calls'][K]['input']>;
export type CallOutput<C extends ContractShape, K extends CallName<C>> = z.output<C['calls'][K]['output']>;
export type EventPayload<C extends ContractShape, K extends EventName<C>> = z.output<C['events'][K]>;

/** The reply of every call, on every transport. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; code: string; message: string };

/**
 * Core's implementation of every call in a contract. `caller` is the connected client
 * that made the call; it is absent for calls made without one (tests, in-process use).
 */
export type Handlers<C extends ContractShape> = {
  [K in CallName<C>]: (input: ParsedInput<C, K>, caller?: Caller) => Promise<CallOutput<C, K>> | CallOutput<C, K>;
};
