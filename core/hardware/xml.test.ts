import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, children, parseXml } from './xml.ts';

test('reads elements, attributes, entities, comments and CDATA', () => {
  const doc = parseXml(`<?xml version="1.0" ?><!DOCTYPE x SYSTEM "x.dtd"><!-- c --><a><b id="1" n='x &amp; y'>T &lt;1&gt;</b><b id="2"/><c><![CDATA[<raw>]]></c></a>`);
  const a = children(doc, 'a')[0];
  assert.ok(a);
  const bs = children(a, 'b');
  assert.equal(bs.length, 2);
  assert.equal(bs[0]?.attrs['n'], 'x & y');
  assert.equal(bs[0]?.text, 'T <1>');
  assert.equal(bs[1]?.attrs['id'], '2');
  assert.equal(at(a, 'c'), '<raw>');
});

test('survives truncated and mismatched documents', () => {
  const truncated = parseXml('<log><gpu id="1"><name>RTX</name><fb><total>8192 MiB</total></fb><gpu id="2"><na');
  assert.equal(at(children(truncated, 'log')[0], 'gpu/name'), 'RTX');
  assert.equal(at(children(truncated, 'log')[0], 'gpu/fb/total'), '8192 MiB');
  const stray = parseXml('<a><b>1</c></b><d>2</d></a>');
  assert.equal(at(stray, 'a/b'), '1');
  assert.equal(at(stray, 'a/d'), '2');
  assert.doesNotThrow(() => parseXml('\u0001\u0002 garbage < > </ <<<'));
});
