import { z } from 'zod';

/**
 * The messages that carry the contract over a socket or an in-memory pair. Each side
 * parses what it receives: a peer is never trusted to send well-formed frames.
 */
export const clientMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  // Optional: a client that calls with no input (`call('app:status', undefined)`) sends no
  // payload key at all once JSON drops the undefined; that is still a call with an id to answer.
  payload: z.unknown().optional(),
});
export type ClientMessage = z.infer<typeof clientMessage>;

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);

export const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), envelope: envelopeSchema }),
  z.object({ type: z.literal('event'), channel: z.string().max(100), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** Largest frame either side accepts; bigger ones are refused before parsing. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
