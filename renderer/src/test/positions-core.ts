import { act } from '@testing-library/react';
import { contract, type HearthContract } from '../../../common/ipc/contract.ts';
import type { CallName, CallOutput, Envelope, ParsedInput } from '../../../common/ipc/define.ts';
import { isHearthError } from '../../../common/errors.ts';
import { fakeCore, type Answer } from './fake-core.ts';
import * as fx from './positions-fixtures.ts';
import { walletStatus } from './market-fixtures.ts';

type C = HearthContract;
type Handler<K extends CallName<C>> = (input: ParsedInput<C, K>) => CallOutput<C, K> | Promise<CallOutput<C, K>>;
/** Core's handlers as the contract types them: a fake answer that does not fit fails to compile. */
export type TypedAnswers = { [K in CallName<C>]?: Handler<K> };

/**
 * Wraps a typed handler the way core's dispatcher does: the page's input goes through the
 * contract's input schema first (so a malformed call fails here as it would in core), and a
 * thrown HearthError becomes the error envelope.
 */
function answerFor<K extends CallName<C>>(name: K, handler: Handler<K>, received: Map<string, unknown[]>): Answer {
  return async (payload): Promise<Envelope> => {
    const parsed = contract.calls[name].input.safeParse(payload);
    if (!parsed.success) return { ok: false, code: 'bad_input', message: `${name} refused its input: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
    const input = parsed.data as ParsedInput<C, K>;
    received.set(name, [...(received.get(name) ?? []), input]);
    try {
      return { ok: true, value: await handler(input) };
    } catch (error) {
      if (isHearthError(error)) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  };
}

/**
 * A fake core for the Earn page: positions:* and wallet:status answered from the fixtures
 * through typed handlers; `answers` replace any of them.
 */
export function positionsCore(answers: TypedAnswers = {}) {
  const handlers: TypedAnswers = {
    'positions:get': () => fx.positionsView(),
    'positions:history': () => ({ samples: fx.history() }),
    'positions:preview': (action) => fx.preview(action),
    'positions:act': () => ({ txHashes: ['0x' + '1f'.repeat(32), '0x' + '2e'.repeat(32)], positions: fx.positionsView({ block: 4520 }) }),
    'wallet:status': () => walletStatus(),
    ...answers,
  };
  const received = new Map<string, unknown[]>();
  const table: Record<string, Answer> = {};
  for (const name of Object.keys(handlers) as CallName<C>[]) {
    const handler = handlers[name];
    // Each entry pairs a name with its own handler type; TypeScript cannot follow that through the loop.
    if (handler) table[name] = answerFor(name, handler as Handler<typeof name>, received);
  }
  const core = fakeCore(table);
  return {
    ...core,
    /** The parsed inputs core received on one channel, in order. */
    sent<K extends CallName<C>>(name: K): ParsedInput<C, K>[] {
      return (received.get(name) ?? []) as ParsedInput<C, K>[];
    },
    /** How many calls reached core on one channel (including refused ones). */
    count: (name: CallName<C>) => core.calls.filter((c) => c.channel === name).length,
    push: async (channel: string, payload: unknown) => {
      await act(async () => core.emit(channel, payload));
    },
  };
}
