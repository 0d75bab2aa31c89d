import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, attr, child, children, first, readXml, textOf } from './xml.ts';

const SHAPE = { root: 'log', unit: 'gpu' };

test('reads elements, the id attribute, the XML entities, comments and CDATA', () => {
  const { doc, problem } = readXml(
    `<?xml version="1.0" ?><!DOCTYPE log SYSTEM "x.dtd"><!-- c --><log><gpu id="00000000:01:00.0" n="x">T &lt;1&gt; &amp; &quot;q&quot;</gpu><gpu id='2'/><c><![CDATA[<raw>]]></c><m>a<i>1</i>b</m></log>`,
    SHAPE,
  );
  assert.equal(problem, null);
  const log = child(doc, 'log');
  const gpus = children(log, 'gpu');
  assert.equal(gpus.length, 2);
  assert.equal(attr(gpus[0], 'id'), '00000000:01:00.0');
  assert.equal(attr(gpus[1], 'id'), '2');
  assert.equal(attr(gpus[0], 'n'), undefined, 'only id is read');
  assert.equal(textOf(gpus[0]), 'T <1> & "q"');
  assert.equal(at(log, 'c'), '<raw>');
  assert.equal(at(log, 'm'), 'ab', 'direct text only, pieces joined');
  assert.equal(at(log, 'm/i'), '1');
});

test('values stay strings exactly as written (no number or boolean coercion)', () => {
  const { doc } = readXml('<log><a>00000000:01:00.0</a><b>0x1E8710DE</b><c>N/A</c><d>12.10</d><e>007</e><f>true</f><g>1e3</g><h>  8192 MiB </h></log>', SHAPE);
  const log = child(doc, 'log');
  assert.deepEqual(
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => at(log, n)),
    ['00000000:01:00.0', '0x1E8710DE', 'N/A', '12.10', '007', 'true', '1e3', '8192 MiB'],
  );
});

test('one or many: a repeated element is always a list, an absent one is empty, paths fall back', () => {
  const { doc } = readXml('<log><p><info><pid>1</pid></info></p><q><info><pid>1</pid></info><info><pid>2</pid></info></q></log>', SHAPE);
  const log = child(doc, 'log');
  assert.equal(children(child(log, 'p'), 'info').length, 1);
  assert.deepEqual(children(child(log, 'q'), 'info').map((i) => at(i, 'pid')), ['1', '2']);
  assert.deepEqual(children(child(log, 'missing'), 'info'), []);
  assert.equal(at(log, 'p/nothing'), undefined);
  assert.equal(first(log, 'nothing/pid', 'p/info/pid'), '1');
  assert.equal(at(log, 'p/info/pid/deeper'), undefined);
});

test('cut off anywhere: only units written whole come back, and the reason is given', () => {
  const full = '<?xml version="1.0"?><log><v>1</v><gpu id="a"><n>A</n><m><t>1 MiB</t></m></gpu><gpu id="b"><n>B</n><m><t>2 MiB</t></m></gpu></log>\n';
  for (let cut = 0; cut < full.trimEnd().length; cut++) {
    const src = full.slice(0, cut);
    const { doc, problem } = readXml(src, SHAPE);
    const gpus = children(child(doc, 'log'), 'gpu');
    const whole = src.split('</gpu>').length - 1;
    assert.equal(gpus.length, whole, `cut at ${cut}`);
    assert.deepEqual(gpus.map((g) => at(g, 'n')), ['A', 'B'].slice(0, whole));
    assert.deepEqual(gpus.map((g) => at(g, 'm/t')), ['1 MiB', '2 MiB'].slice(0, whole));
    assert.match(problem ?? '', /ends before its closing <\/log>/, `cut at ${cut}`);
    assert.match(problem ?? '', whole > 0 ? /only the <gpu> elements complete/ : /no complete <gpu> element/);
  }
  assert.equal(readXml(full, SHAPE).problem, null);
});

test('malformed documents never throw: stray close tags, garbage, empty input', () => {
  const stray = readXml('<log><gpu><n>1</x></n></gpu><gpu><n>2</n></gpu></log>', SHAPE);
  assert.equal(typeof stray.doc, 'object');
  assert.deepEqual(children(child(readXml('</log>', SHAPE).doc, 'log'), 'gpu'), []);
  for (const src of ['', '\u0001\u0002 garbage < > </ <<<', '<', '<log', '<log><gpu></gpu></log> trailing']) {
    const r = readXml(src, SHAPE);
    assert.ok(r.problem, JSON.stringify(src));
    assert.ok(children(child(r.doc, 'log'), 'gpu').length <= 1);
  }
});
