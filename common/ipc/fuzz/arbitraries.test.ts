import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { contract, callNames } from '../contract.ts';
import { callInput, schemaAccepts, unwalkedKinds } from './arbitraries.ts';
import { refusedOnly } from './channel-policy.ts';
import { OMIT, Raw, callFrame, objectOf, parsedPayload, wireText } from './wire-json.ts';

test('the walker reads every kind of schema the contract uses', () => {
  for (const name of callNames) assert.deepEqual(unwalkedKinds(contract.calls[name].input), [], name);
});

test('wire JSON says what JSON.stringify cannot, and the daemon parses it back as meant', () => {
  assert.equal(wireText([-0, Infinity, -Infinity, NaN]), '[-0,1e999,-1e999,null]');
  assert.deepEqual(parsedPayload([Infinity, -Infinity]), [Infinity, -Infinity]);
  assert.ok(Object.is((parsedPayload([-0]) as number[])[0], -0));
  const polluted = parsedPayload(objectOf([['__proto__', { admin: true }]])) as Record<string, unknown>;
  assert.ok(Object.hasOwn(polluted, '__proto__'), '__proto__ travels as an own key, as a hostile client sends it');
  assert.equal(({} as Record<string, unknown>)['admin'], undefined);
  assert.equal(callFrame(3, 'app:status', OMIT), '{"type":"call","id":3,"channel":"app:status"}');
  assert.equal(wireText({ a: OMIT, b: new Raw('[[1]]', 'nested') }), '{"b":[[1]]}');
});

test('refused-only calls get only input their schema refuses; read-only calls get both', () => {
  for (const [index, name] of callNames.entries()) {
    const schema = contract.calls[name].input;
    const inputs = fc.sample(callInput(schema, refusedOnly(name)), { seed: 1 + index, numRuns: 20 });
    const accepted = inputs.filter((input) => schemaAccepts(schema, input)).length;
    if (refusedOnly(name)) assert.equal(accepted, 0, `${name} must never get input it accepts`);
    else assert.ok(accepted > 0 && accepted < inputs.length, `${name}: ${accepted} of ${inputs.length} accepted`);
  }
});

test('the hostile families all occur: deep nesting, megabyte strings, prototype keys, edge numbers, absent fields', () => {
  const texts = callNames.flatMap((name, index) =>
    fc
      .sample(callInput(contract.calls[name].input, refusedOnly(name)), { seed: 100 + index, numRuns: 15 })
      .map((input) => (input === OMIT ? '' : wireText(input))),
  );
  const seen = (what: string, predicate: (text: string) => boolean): void => assert.ok(texts.some(predicate), what);
  seen('10,000-level nesting', (t) => t.startsWith('[[[[[[[[[[') && t.length >= 20_000);
  seen('a megabyte string', (t) => t.length > 1_000_000);
  seen('__proto__ keys', (t) => t.includes('"__proto__":'));
  seen('constructor keys', (t) => t.includes('"constructor":'));
  seen('1e999 (Infinity)', (t) => t.includes('1e999'));
  seen('-0', (t) => /[[:,]-0[,\]}]/.test(t));
  seen('2^53', (t) => t.includes('9007199254740992'));
  seen('path traversal', (t) => t.includes('../../etc/passwd'));
  seen('NUL characters', (t) => t.includes('\\u0000'));
});
