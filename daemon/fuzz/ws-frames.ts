import fc from 'fast-check';

/**
 * WebSocket frames built byte by byte (RFC 6455 §5.2), so nothing a client library would
 * refuse to send is out of reach: any opcode, RSV bits, the mask bit off, lengths in the
 * 7-, 16- and 64-bit forms (including ones that lie about the payload, or claim 2^63),
 * fragmented control frames, continuations with nothing to continue, invalid UTF-8 and
 * close frames with any code and reason.
 */
export interface FrameSpec {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Uint8Array;
  /** How the length is written: as it is, in a longer form than needed, or a lie. */
  length: 'exact' | 'wide16' | 'wide64' | 'short-by-one' | 'long-by-many' | 'huge64' | 'top-bit64';
}

/** Encodes one client frame. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const actual = BigInt(spec.payload.length);
  const claimed: bigint = {
    exact: actual,
    wide16: actual,
    wide64: actual,
    'short-by-one': actual > 0n ? actual - 1n : 0n,
    'long-by-many': actual + 1000n,
    huge64: 1n << 40n,
    'top-bit64': (1n << 63n) + actual,
  }[spec.length];
  const first = (spec.fin ? 0x80 : 0) | ((spec.rsv & 7) << 4) | (spec.opcode & 0x0f);
  const maskBit = spec.masked ? 0x80 : 0;
  const form =
    spec.length === 'wide16'
      ? 16
      : ['wide64', 'huge64', 'top-bit64'].includes(spec.length) || claimed > 0xffffn
        ? 64
        : claimed > 125n
          ? 16
          : 7;
  let header: Buffer;
  if (form === 7) header = Buffer.from([first, maskBit | Number(claimed)]);
  else if (form === 16) {
    header = Buffer.from([first, maskBit | 126, 0, 0]);
    header.writeUInt16BE(Number(claimed & 0xffffn), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(claimed, 2);
  }
  if (!spec.masked) return Buffer.concat([header, spec.payload]);
  const mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
  const body = Buffer.from(spec.payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

const closePayload = fc
  .tuple(
    fc.oneof(fc.constantFrom(1000, 1001, 1005, 1006, 1015, 999, 0, 4401, 2999, 5000, 65535), fc.integer({ min: 0, max: 65535 })),
    fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array({ maxLength: 130 })),
  )
  .map(([code, reason]) => {
    const out = new Uint8Array(2 + reason.length);
    out[0] = code >> 8;
    out[1] = code & 0xff;
    out.set(reason, 2);
    return out;
  });

const payloads = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(
    new Uint8Array([0xc3, 0x28]),
    new Uint8Array([0xed, 0xa0, 0x80]),
    new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
    new Uint8Array([0xff, 0xfe, 0xfd]),
    new Uint8Array([0xe2, 0x82]),
    utf8(JSON.stringify({ type: 'call', id: 1, channel: 'app:status', payload: {} })),
    utf8('{"type":"call","id":2,"channel":"app:status"'),
    utf8('not json'),
    new Uint8Array(),
    new Uint8Array([0x01]),
  ),
  closePayload,
);

export const frameSpec: fc.Arbitrary<FrameSpec> = fc.record({
  fin: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
  opcode: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(0x0, 0x1, 0x1, 0x2, 0x8, 0x9, 0xa) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
  ),
  masked: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  payload: payloads,
  length: fc.oneof(
    { weight: 8, arbitrary: fc.constant<FrameSpec['length']>('exact') },
    {
      weight: 1,
      arbitrary: fc.constantFrom<FrameSpec['length']>('wide16', 'wide64', 'short-by-one', 'long-by-many', 'huge64', 'top-bit64'),
    },
  ),
});

/** A few frames in a row after an upgrade, with or without the token, perhaps cut off mid-frame. */
export interface FrameCase {
  withToken: boolean;
  frames: FrameSpec[];
  /** Drop this many bytes from the end (a peer that stops mid-frame); 0 sends it all. */
  cut: number;
}

export const frameCase: fc.Arbitrary<FrameCase> = fc.record({
  withToken: fc.boolean(),
  frames: fc.array(frameSpec, { minLength: 1, maxLength: 5 }),
  cut: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) }),
});

/** Opcodes of the frames a server sent (unmasked), as far as the bytes go. */
export function serverOpcodes(bytes: Buffer): number[] {
  const opcodes: number[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    opcodes.push(bytes[at]! & 0x0f);
    let length = bytes[at + 1]! & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (at + 4 > bytes.length) break;
      length = bytes.readUInt16BE(at + 2);
      headerLength = 4;
    } else if (length === 127) {
      if (at + 10 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(at + 2));
      headerLength = 10;
    }
    at += headerLength + length;
  }
  return opcodes;
}
