import type { z } from 'zod';
import { isHearthError } from '../errors.ts';
import type { ContractShape, Envelope, Handlers } from './define.ts';
import type { Caller } from './caller.ts';

export interface DispatchOptions {
  /** Told about unexpected failures; the caller only ever sees a generic message. */
  onInternalError?: (channel: string, error: unknown) => void;
}

/** Longest part of a refusal taken from the input (a key, a path), so a hostile key is not echoed back in full. */
const MAX_ISSUE_PART = 120;
const clip = (text: string): string => (text.length > MAX_ISSUE_PART ? `${text.slice(0, MAX_ISSUE_PART)}…` : text);

/** Turns zod issues into one readable line, e.g. `idleMinutes: Too small: expected number to be >=1`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${clip(issue.path.map(String).join('.'))}: ${clip(issue.message)}` : clip(issue.message)))
    .join('; ');
}

/**
 * The one entry point both shells use. It validates the input, runs core's handler,
 * validates the output, and always answers with an envelope: it never throws.
 */
export function createDispatcher<C extends ContractShape>(
  contract: C,
  handlers: Handlers<C>,
  options: DispatchOptions = {},
): (channel: unknown, payload: unknown, caller?: Caller) => Promise<Envelope> {
  return async (channel, payload, caller) => {
    if (typeof channel !== 'string' || !Object.hasOwn(contract.calls, channel)) {
      return { ok: false, code: 'unknown_channel', message: `There is no call named ${JSON.stringify(channel)}.` };
    }
    const spec = contract.calls[channel];
    const handler = (handlers as Record<string, (input: unknown, caller?: Caller) => unknown>)[channel];
    if (!spec || !handler) {
      return { ok: false, code: 'unknown_channel', message: `There is no call named ${JSON.stringify(channel)}.` };
    }
    const input = spec.input.safeParse(payload);
    if (!input.success) {
      return { ok: false, code: 'bad_input', message: `Invalid input for ${channel}: ${describeIssues(input.error)}` };
    }
    let result: unknown;
    try {
      result = await handler(input.data, caller);
    } catch (error) {
      if (isHearthError(error)) return { ok: false, code: error.code, message: error.message };
      options.onInternalError?.(channel, error);
      return { ok: false, code: 'internal', message: `${channel} failed unexpectedly. The details are in Hearth's log.` };
    }
    const output = spec.output.safeParse(result);
    if (!output.success) {
      options.onInternalError?.(channel, output.error);
      return { ok: false, code: 'bad_output', message: `${channel} produced an invalid answer. The details are in Hearth's log.` };
    }
    return { ok: true, value: output.data };
  };
}
