import fc from 'fast-check';
import type { z } from 'zod';
import { OMIT, objectOf, parsedPayload, type Wire } from './wire-json.ts';
import { anyWrong, hostileKeys, hostileNumber, hostileString } from './hostile.ts';

/**
 * fast-check arbitraries made from a zod 4 schema by walking `schema._zod.def`, so every
 * call in the contract is fuzzed without a line written for it. Two kinds:
 *
 * - `shapedInput`: values in the schema's shape (right keys, right JSON types) whose leaves
 *   are hostile: edge numbers, path-like and prototype-named strings, megabyte strings,
 *   lengths one past the limits, values matching the declared patterns. Some pass the
 *   schema, most are refused by it.
 * - `wrongInput`: values that are plainly wrong: other JSON types, 10,000-level nesting,
 *   prototype-key objects, a required field missing, an unknown field added, one field
 *   deep inside replaced by garbage.
 */

/** The part of zod 4's internal definition the walker reads. */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  options?: Schema[];
  innerType?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  format?: string;
  in?: Schema;
  checks?: { _zod: { def: CheckDef } }[];
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}
type Schema = z.ZodType | { _zod: { def: unknown } };

const defOf = (schema: Schema): Def => schema._zod.def as Def;
const checksOf = (def: Def): CheckDef[] => (def.checks ?? []).map((check) => check._zod.def);

function lengthBounds(def: Def): { min: number; max: number | undefined } {
  let min = 0;
  let max: number | undefined;
  for (const check of checksOf(def)) {
    if (check.check === 'min_length' && check.minimum !== undefined) min = check.minimum;
    if (check.check === 'max_length' && check.maximum !== undefined) max = check.maximum;
  }
  return { min, max };
}

function stringArb(def: Def): fc.Arbitrary<Wire> {
  const { min, max } = lengthBounds(def);
  const edges = [min - 1, min, max, max === undefined ? undefined : max + 1].filter((n): n is number => n !== undefined && n >= 0);
  const arbs: fc.Arbitrary<Wire>[] = [hostileString, fc.constantFrom(...edges).map((n) => 'a'.repeat(n))];
  for (const check of checksOf(def)) {
    if (check.check === 'string_format' && check.pattern) arbs.push(fc.stringMatching(check.pattern));
  }
  if (def.format === 'url') {
    arbs.push(
      fc.webUrl(),
      fc.constantFrom(
        'http://127.0.0.1:1/',
        'http://[::1]:0/',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'http://a@b@c/',
        'http://%00/',
      ),
    );
  }
  return fc.oneof(...arbs);
}

function numberArb(def: Def): fc.Arbitrary<Wire> {
  let min = -Number.MAX_VALUE;
  let max = Number.MAX_VALUE;
  let int = false;
  for (const check of checksOf(def)) {
    if (check.check === 'greater_than' && check.value !== undefined) min = check.value;
    if (check.check === 'less_than' && check.value !== undefined) max = check.value;
    if (check.check === 'number_format' && check.format?.includes('int')) int = true;
  }
  const edges = [min, max, min - 1, max + 1, min - 0.5, max + 0.5].filter((n) => Number.isFinite(n));
  const inside = int
    ? fc.integer({ min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER), max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER) })
    : fc.double({ min, max, noNaN: true });
  return fc.oneof(hostileNumber, fc.constantFrom(...edges), inside);
}

function objectArb(shape: Record<string, Schema>, shaped: (s: Schema) => fc.Arbitrary<Wire>): fc.Arbitrary<Wire> {
  const keys = Object.keys(shape);
  const fields = keys.map((key) => shaped(shape[key]!));
  // Now and then an unknown field: strict objects must refuse it, loose ones must ignore it.
  const extras = fc.oneof(
    { weight: 5, arbitrary: fc.constant<[string, Wire][]>([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...hostileKeys), anyWrong), { minLength: 1, maxLength: 2 }) },
  );
  return fc
    .tuple(fc.tuple(...fields), extras)
    .map(([values, extra]) => objectOf([...keys.map((key, i) => [key, values[i]!] as const), ...extra]));
}

/** One arbitrary per schema, built on first use (schemas nest and repeat across calls). */
function perSchema(make: (def: Def) => fc.Arbitrary<Wire>): (schema: Schema) => fc.Arbitrary<Wire> {
  const cache = new WeakMap<object, fc.Arbitrary<Wire>>();
  return (schema) => {
    let made = cache.get(schema);
    if (!made) {
      made = make(defOf(schema));
      cache.set(schema, made);
    }
    return made;
  };
}

/** Values in the schema's shape with hostile leaves. */
export const shapedInput = perSchema((def) => makeShaped(def));

function makeShaped(def: Def): fc.Arbitrary<Wire> {
  switch (def.type) {
    case 'object':
      return objectArb(def.shape ?? {}, shapedInput);
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb(def);
    case 'bigint':
      // JSON has no bigint; amounts travel as decimal text, so try text and numbers past 2^53.
      return fc.oneof(fc.bigInt().map(String), fc.constantFrom<Wire>(2 ** 64, '1'.repeat(100), '-1'));
    case 'boolean':
      return fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom<Wire>('true', 0, 1) });
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      const near = values.flatMap((v) => [String(v).toUpperCase(), `${String(v)}\u0000`, ` ${String(v)}`]);
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom<Wire>(...values) }, { weight: 1, arbitrary: fc.constantFrom(...near) });
    }
    case 'literal':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...(def.values as Wire[])) }, { weight: 1, arbitrary: anyWrong });
    case 'array': {
      const element = shapedInput(def.element!);
      const { min, max } = lengthBounds(def);
      const lengths = [min, Math.min(max ?? 4, 4), ...(max === undefined ? [] : [max + 1])];
      return fc.constantFrom(...lengths).chain((n) => fc.array(element, { minLength: n, maxLength: n }));
    }
    case 'union':
      return fc.oneof(...(def.options ?? []).map(shapedInput));
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.oneof(fc.constant(OMIT), shapedInput(def.innerType!));
    case 'nullable':
      return fc.oneof(fc.constant(null), shapedInput(def.innerType!));
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return shapedInput(def.innerType!);
    case 'pipe':
      return shapedInput(def.in!);
    case 'record': {
      const key = fc.oneof(
        shapedInput(def.keyType!).filter((k): k is string => typeof k === 'string'),
        fc.constantFrom(...hostileKeys),
      );
      return fc.array(fc.tuple(key, shapedInput(def.valueType!)), { maxLength: 4 }).map((entries) => objectOf(entries));
    }
    default:
      // A kind the contract does not use yet: it still gets hostile values, never an exception.
      return anyWrong;
  }
}

/** Values that are plainly wrong for the schema, near its shape or far from it. */
export const wrongInput = perSchema((def) => makeWrong(def));

function makeWrong(def: Def): fc.Arbitrary<Wire> {
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      if (keys.length === 0) return anyWrong;
      const near = fc
        .tuple(fc.constantFrom(...keys), fc.constantFrom('missing', 'garbage'))
        .chain(([target, how]) =>
          fc.tuple(
            ...keys.map((key) =>
              key !== target ? shapedInput(shape[key]!) : how === 'missing' ? fc.constant(OMIT) : wrongInput(shape[key]!),
            ),
          ),
        );
      return fc.oneof(
        anyWrong,
        near.map((values) => objectOf(keys.map((key, i) => [key, values[i]!] as const))),
      );
    }
    case 'array':
      return fc.oneof(anyWrong, fc.array(wrongInput(def.element!), { minLength: 1, maxLength: 3 }));
    case 'union':
      return fc.oneof(anyWrong, ...(def.options ?? []).map(wrongInput));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return wrongInput(def.innerType!);
    default:
      return anyWrong;
  }
}

/** The zod kinds the walker reads; anything else gets `anyWrong` only, so a test asks for it to be added. */
const WALKED = new Set([
  'object',
  'string',
  'number',
  'bigint',
  'boolean',
  'enum',
  'literal',
  'array',
  'union',
  'optional',
  'default',
  'prefault',
  'nullable',
  'readonly',
  'catch',
  'nonoptional',
  'pipe',
  'record',
]);

/** Kinds inside a schema that the walker does not read (empty when every part of it is generated to shape). */
export function unwalkedKinds(schema: Schema): string[] {
  const def = defOf(schema);
  const children = [
    ...Object.values(def.shape ?? {}),
    ...(def.options ?? []),
    def.element,
    def.innerType,
    def.keyType,
    def.valueType,
    def.in,
  ];
  const own = WALKED.has(def.type) ? [] : [def.type];
  return [...new Set([...own, ...children.flatMap((child) => (child ? unwalkedKinds(child) : []))])];
}

/** True when the schema accepts the payload exactly as the daemon will parse it off the wire. */
export function schemaAccepts(schema: z.ZodType, payload: Wire): boolean {
  return schema.safeParse(parsedPayload(payload)).success;
}

/**
 * Inputs for one call. `refusedOnly` (calls that change state or reach outside) keeps only
 * what the schema refuses, checked here with the same schema the daemon uses, so a call
 * that would really run is never sent.
 */
export function callInput(schema: z.ZodType, refusedOnly: boolean): fc.Arbitrary<Wire> {
  const both = fc.oneof({ weight: 1, arbitrary: shapedInput(schema) }, { weight: refusedOnly ? 2 : 1, arbitrary: wrongInput(schema) });
  return refusedOnly ? both.filter((payload) => !schemaAccepts(schema, payload)) : both;
}
