import fc from 'fast-check';
import { contract, callNames } from '../../common/ipc/contract.ts';
import { refusedOnly } from '../../common/ipc/fuzz/channel-policy.ts';
import { anyWrong, hostileString } from '../../common/ipc/fuzz/hostile.ts';
import { OMIT, objectOf, wireText, type Wire } from '../../common/ipc/fuzz/wire-json.ts';
import { clientMessage } from '../../common/ipc/wire.ts';
import { envelopeProblem, type Session } from './envelope-check.ts';

/**
 * Raw frames on an authorized socket: text that is not JSON, JSON that is not a call, calls
 * with odd ids (2^53, negative, fractional, text), unknown or prototype-named channels,
 * binary frames, and the same id sent twice. What the daemon must answer is worked out here
 * from the wire schema: nothing for a frame that is not a call, `unknown_channel` for a call
 * to no channel, the call's own answer otherwise, once per frame.
 */
export interface RawFrame {
  data: string | Buffer;
  binary: boolean;
  /** Sent this many times back to back (2: a duplicated id). */
  times: number;
}

const frameField = <T>(values: fc.Arbitrary<T>): fc.Arbitrary<T | typeof OMIT> =>
  fc.oneof({ weight: 6, arbitrary: values }, { weight: 1, arbitrary: fc.constant(OMIT) });

const oddIds = fc.oneof(
  fc.nat(),
  fc.constantFrom<Wire>(0, 2 ** 53 - 1, 2 ** 53, 1e308, -1, -0, 1.5, Infinity, NaN, '1', null, [1], { id: 1 }),
);
const oddChannels = fc.oneof(
  fc.constantFrom(...callNames),
  hostileString,
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'APP:STATUS',
    'app:status ',
    'app:',
    'x'.repeat(100),
    'x'.repeat(101),
  ),
);

/** A frame in the shape of a call with each field taken from the odd values above. */
const callLike: fc.Arbitrary<string> = fc
  .record({
    type: frameField(fc.constantFrom<Wire>('call', 'call', 'result', 'event', 'CALL', 1, null)),
    id: frameField(oddIds),
    channel: frameField(oddChannels),
    payload: frameField(fc.oneof(fc.constant<Wire>({}), anyWrong)),
    extra: fc.option(fc.constantFrom('__proto__', 'constructor', 'envelope'), { nil: undefined }),
  })
  .map(({ extra, ...fields }) => wireText(objectOf([...Object.entries(fields), ...(extra ? [[extra, { type: 'result' }] as const] : [])])));

const notJson = fc.oneof(
  fc.constantFrom(
    'not json',
    '',
    '{',
    '}{',
    '\u0000',
    '{"type":"call"',
    "{'type':'call'}",
    'undefined',
    'NaN',
    '[]',
    'null',
    '"call"',
    '1e999',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
);

export const rawFrame: fc.Arbitrary<RawFrame> = fc.oneof(
  { weight: 3, arbitrary: notJson.map((data) => ({ data, binary: false, times: 1 })) },
  { weight: 6, arbitrary: callLike.map((data) => ({ data, binary: false, times: 1 })) },
  { weight: 2, arbitrary: callLike.map((data) => ({ data, binary: false, times: 2 })) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
        fc.constant(Buffer.from(JSON.stringify({ type: 'call', id: 7, channel: 'app:status', payload: {} }))),
      )
      .map((data) => ({ data, binary: true, times: 1 })),
  },
);

interface Expected {
  id: number;
  channel: string;
  /** The input passes the call's schema (or null: there is no such call). */
  accepted: boolean | null;
}

/** What the daemon should answer, from the text as it will arrive (ws sends strings as UTF-8). */
export function expectedReply(frame: RawFrame): Expected | null {
  if (frame.binary) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(frame.data).toString('utf8'));
  } catch {
    return null;
  }
  const message = clientMessage.safeParse(parsed);
  if (!message.success) return null;
  const { id, channel, payload } = message.data;
  if (!Object.hasOwn(contract.calls, channel)) return { id, channel, accepted: null };
  return { id, channel, accepted: contract.calls[channel as keyof typeof contract.calls].input.safeParse(payload).success };
}

/** Frames that would run a call that changes state are never sent (see channel-policy.ts). */
const harmless = (frame: RawFrame): boolean => {
  const expected = expectedReply(frame);
  return !(expected?.accepted && refusedOnly(expected.channel));
};

export async function fuzzMalformedFrames(
  session: Session,
  options: { seed: number; cases: number; answerMs: number },
): Promise<{ frames: number; failures: string[] }> {
  const failures: string[] = [];
  const frames = fc.sample(rawFrame.filter(harmless), { seed: options.seed, numRuns: options.cases });
  for (const [n, frame] of frames.entries()) {
    const where = `raw frame ${n} (seed ${options.seed}) ${frame.binary ? 'binary' : 'text'}×${frame.times} ${JSON.stringify(String(frame.data).slice(0, 120))}`;
    const expected = expectedReply(frame);
    for (let i = 0; i < frame.times; i += 1) {
      if (frame.binary) session.socket.sendBinary(frame.data as Buffer);
      else {
        const sent = await session.sendText(frame.data as string);
        if (sent.problem) failures.push(`${where}: ${sent.problem}`);
        if (sent.oversize) break;
      }
    }
    if (expected && session.socket.open) {
      for (let i = 0; i < frame.times; i += 1) {
        const envelope = await session.socket.result(expected.id, options.answerMs);
        if (!envelope) failures.push(`${where}: answer ${i + 1} of ${frame.times} for id ${expected.id} never came`);
        else {
          const problem = envelopeProblem(
            expected.accepted === true,
            envelope,
            expected.accepted === null ? 'unknown_channel' : 'bad_input',
          );
          if (problem) failures.push(`${where}: ${problem}`);
        }
      }
    }
    // The socket still serves, and nothing was answered that should not have been.
    const probe = await session.socket.call('app:status', {});
    if (!probe?.ok) failures.push(`${where}: the socket stopped answering app:status (${probe ? probe.code : 'no answer'})`);
    const stray = session.socket.pendingIds();
    if (stray.length > 0) failures.push(`${where}: unexpected answers for ids ${stray.slice(0, 5).join(', ')}`);
    for (const strayId of stray) while (await session.socket.result(strayId, 0));
    if (!session.socket.open) await session.reopen();
  }
  return { frames: frames.length, failures };
}
