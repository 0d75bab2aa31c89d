import fc from 'fast-check';
import { OMIT, Raw, objectOf, type Wire } from './wire-json.ts';

/**
 * The leaves a hostile client puts where the contract expects a value: the inputs that
 * break hand-written code (paths, prototype keys, control characters, lone surrogates,
 * numbers at the edges of what doubles and JSON can say, megabyte strings).
 */

const MB = 1024 * 1024;

/** Strings that mean something to a file system, a shell, a parser or a prototype chain. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001b[31m\u007f',
  '\r\n\t\v\f',
  '../../etc/passwd',
  '..\\..\\windows\\system32\\config\\sam',
  '/etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'file:///etc/passwd',
  '\\\\?\\C:\\',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u202eevil\u202c',
  '\ud800',
  '\udfff\ud800',
  '\ufeff',
  'e\u0301\u0301\u0301',
  '😀👨‍👩‍👧‍👦',
  '0x',
  `0x${'f'.repeat(40)}`,
  `0x${'0'.repeat(39)}g`,
  '-1',
  '1e999',
  'NaN',
  'null',
  'undefined',
  '${process.exit()}',
  '$(reboot)',
  '`reboot`',
  '<script>alert(1)</script>',
  "'; DROP TABLE jobs; --",
  '%s%s%n',
  'http://169.254.169.254/latest/meta-data/',
  'javascript:alert(1)',
];

/** Megabyte strings, made once: as text (1 MB), as escapes that grow sixfold in JSON, and as astral characters. */
const hugeStrings: readonly string[] = ['A'.repeat(MB), '\u0000'.repeat(MB / 4), '😀'.repeat(MB / 4)];

/** Keys that hand-written merging or lookups turn into prototype pollution. */
export const hostileKeys: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  '',
  '\u0000',
  'a'.repeat(10_000),
];

/** Numbers at every edge: signs, integer precision, float range; NaN and ±Infinity go out as null and 1e999. */
export const hostileNumbers: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  -Number.MAX_SAFE_INTEGER - 1,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  1e308,
  Infinity,
  -Infinity,
  NaN,
];

/** Number literals that JSON.parse turns into something else (Infinity, 0, a rounded value). */
const hostileNumberTexts: readonly Raw[] = [
  new Raw(`1${'0'.repeat(400)}`, '1 followed by 400 zeros'),
  new Raw('1e-400', '1e-400'),
  new Raw('123456789012345678901234567890', 'a 30-digit integer'),
  new Raw('-0.0e0', '-0.0e0'),
];

export const DEEP_LEVELS = 10_000;
const deepArray = new Raw(`${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}`, `array nested ${DEEP_LEVELS} deep`);
const deepObject = new Raw(`${'{"a":'.repeat(DEEP_LEVELS)}1${'}'.repeat(DEEP_LEVELS)}`, `object nested ${DEEP_LEVELS} deep`);
const hugeArray = new Raw(`[${'0,'.repeat(99_999)}0]`, 'array of 100,000 zeros');
const duplicateKeys = new Raw('{"a":1,"a":{"__proto__":{"polluted":true}},"a":2}', 'duplicate keys');

/** A string leaf: mostly hostile, sometimes a megabyte. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(...hugeStrings) },
);

/** A number leaf at an edge. */
export const hostileNumber: fc.Arbitrary<Wire> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(...hostileNumberTexts) },
);

/** An object carrying prototype keys as own properties, as JSON.parse makes them. */
export const prototypeObject: fc.Arbitrary<Wire> = fc
  .subarray([...hostileKeys.slice(0, 5)], { minLength: 1 })
  .map((keys) => objectOf(keys.map((key) => [key, { polluted: true, isAdmin: true }] as const)));

/** Any value that is wrong almost everywhere: other JSON types, deep nesting, prototype keys, megabytes. */
export const anyWrong: fc.Arbitrary<Wire> = fc.oneof(
  fc.constantFrom<Wire>(null, true, false, 0, -1, '', 'x', [], {}, [null], OMIT),
  hostileNumber,
  hostileString,
  prototypeObject,
  fc.constantFrom<Wire>(deepArray, deepObject, hugeArray, duplicateKeys),
);
