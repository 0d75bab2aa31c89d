/**
 * A JSON value as the fuzzer puts it on the wire. It goes past what `JSON.stringify` can
 * say, because a hostile client is not limited to it: `-0`, numbers that parse to ±Infinity
 * (`1e999`), text nested 10,000 levels deep, duplicate keys and absent payloads are all
 * one frame away. Plain values serialize as JSON does; `Raw` is spliced in as it is.
 */
export type Wire = null | boolean | number | string | Raw | readonly Wire[] | { readonly [key: string]: Wire };

/** JSON text that goes on the wire verbatim (deep nesting, duplicate keys, huge literals). */
export class Raw {
  constructor(
    readonly text: string,
    /** Short label for reports: the text itself may be megabytes. */
    readonly label: string,
  ) {}
}

/** Leaves the field out altogether (a frame without `payload`, an object without a key). */
export const OMIT = new Raw('', 'omitted');

/** An object whose keys may be `__proto__`: set as own data properties, as JSON.parse would. */
export function objectOf(entries: readonly (readonly [string, Wire])[]): { [key: string]: Wire } {
  const out: { [key: string]: Wire } = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'null';
  if (n === Infinity) return '1e999';
  if (n === -Infinity) return '-1e999';
  if (Object.is(n, -0)) return '-0';
  return JSON.stringify(n);
}

/** The JSON text of a wire value (nesting is bounded by the generator; deep text comes as Raw). */
export function wireText(value: Wire): string {
  if (value instanceof Raw) return value.text;
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly Wire[]).map((item) => (item === OMIT ? 'null' : wireText(item))).join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) if (item !== OMIT) parts.push(`${JSON.stringify(key)}:${wireText(item)}`);
  return `{${parts.join(',')}}`;
}

/** The call frame for one payload, exactly as the daemon will read it. */
export function callFrame(id: number, channel: string, payload: Wire): string {
  const body = payload === OMIT ? '' : `,"payload":${wireText(payload)}`;
  return `{"type":"call","id":${id},"channel":${JSON.stringify(channel)}${body}}`;
}

/** What the daemon's own JSON.parse makes of a payload (undefined when it is left out). */
export function parsedPayload(payload: Wire): unknown {
  return payload === OMIT ? undefined : (JSON.parse(wireText(payload)) as unknown);
}

/** A short description of a payload for failure reports. */
export function describeWire(payload: Wire, max = 160): string {
  if (payload instanceof Raw) return `<${payload.label}>`;
  const text = wireText(payload);
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
