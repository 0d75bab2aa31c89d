/**
 * `nvidia-smi -q -x` output is untrusted input: a broken driver, a wrong binary on PATH or a
 * replaced one can print anything. Each case must end quickly with no crash, no hang, no
 * expansion and a reason a person can read.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MAX_XML_GPUS, parseNvidiaXml, type NvidiaXmlReport } from './nvidia-xml.ts';
import { fixture } from './testing/paths.ts';
import { MAX_XML_CHARS } from './xml.ts';

const real = readFileSync(fixture('recorded', 'telegraf-dual_2070-v13.xml'), 'utf8');
const head = real.slice(0, real.indexOf('<gpu '));
/** One whole <gpu> element of a real output. */
const gpuBlock = real.slice(real.indexOf('<gpu '), real.indexOf('</gpu>') + '</gpu>'.length);
const ctx = { ownPids: new Set<number>() };

/** Parses and checks it returned within `ms`, without throwing. */
function timed(src: string, ms: number): NvidiaXmlReport {
  const t0 = performance.now();
  const r = parseNvidiaXml(src, ctx, 'linux');
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms (limit ${ms})`);
  return r;
}

test('a document over the size cap is refused at once, with its size in the reason', () => {
  const r = timed('<nvidia_smi_log>' + ' '.repeat(MAX_XML_CHARS) + '</nvidia_smi_log>', 200);
  assert.equal(r.gpus.length, 0);
  assert.match(r.problem ?? '', /over the 4 MB Hearth reads/);
});

test('the largest accepted document (many real GPU blocks) reads in bounded time; GPUs capped', () => {
  let body = head;
  while (body.length + gpuBlock.length < MAX_XML_CHARS - 100) body += gpuBlock;
  const r = timed(body + '</nvidia_smi_log>', 15_000);
  assert.equal(r.gpus.length, MAX_XML_GPUS);
  assert.match(r.problem ?? '', /only the first 64 were read/);
  assert.equal(r.gpus[0]?.name, 'NVIDIA GeForce RTX 2070');
});

test('entity bombs and external entities are refused, nothing is expanded or fetched', () => {
  const lol = '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">';
  const docs = {
    billionLaughs: `<?xml version="1.0"?><!DOCTYPE nvidia_smi_log [${lol}]><nvidia_smi_log>${gpuBlock.replace('NVIDIA GeForce RTX 2070', '&lol3;')}</nvidia_smi_log>`,
    quadratic: `<!DOCTYPE nvidia_smi_log [<!ENTITY a "${'a'.repeat(50_000)}">]><nvidia_smi_log>${gpuBlock.replace('NVIDIA GeForce RTX 2070', '&a;'.repeat(50_000))}</nvidia_smi_log>`,
    xxeFile: `<!DOCTYPE nvidia_smi_log [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><nvidia_smi_log>${gpuBlock.replace('NVIDIA GeForce RTX 2070', '&xxe;')}</nvidia_smi_log>`,
    parameterEntity: `<!DOCTYPE nvidia_smi_log [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><nvidia_smi_log>${gpuBlock}</nvidia_smi_log>`,
  };
  for (const [name, src] of Object.entries(docs)) {
    const r = timed(src, 1000);
    assert.equal(r.gpus.length, 0, name);
    assert.match(r.problem ?? '', /declares its own DTD entities/, name);
  }
});

test('an external DTD reference (what nvidia-smi writes) is never opened', () => {
  // Reading /dev/zero would never end: returning at all shows the reference is not followed.
  const src = real.replace(/<!DOCTYPE[^>]*>/, '<!DOCTYPE nvidia_smi_log SYSTEM "file:///dev/zero">');
  const r = timed(src, 2000);
  assert.equal(r.problem, null);
  assert.equal(r.gpus.length, 2);
});

test('deep nesting: no stack overflow, a reason, and GPUs written whole before it still read', () => {
  const deep = '<a>'.repeat(200_000);
  const open = timed(`<nvidia_smi_log>${gpuBlock}${deep}`, 3000);
  assert.equal(open.gpus.length, 1);
  assert.match(open.problem ?? '', /ends before its closing/);
  const closed = timed(`<nvidia_smi_log>${gpuBlock}${deep}${'</a>'.repeat(200_000)}</nvidia_smi_log>`, 3000);
  assert.match(closed.problem ?? '', /Maximum nested tags exceeded/);
});

test('NUL bytes end the readable part; invalid UTF-8 is read as replacement characters', () => {
  const at2 = real.lastIndexOf('<gpu ');
  const nul = timed(real.slice(0, at2) + '\0\0' + real.slice(at2), 1000);
  assert.equal(nul.gpus.length, 1);
  assert.match(nul.problem ?? '', /NUL byte at offset \d+; only the <gpu> elements complete/);
  // Bytes as nvidia-smi might print them, decoded the way the tool runner decodes stdout.
  const name = real.indexOf('NVIDIA GeForce RTX 2070');
  const bytes = Buffer.concat([Buffer.from(real.slice(0, name)), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x28, 0xa1]), Buffer.from(real.slice(name))]);
  const bad = timed(bytes.toString('utf8'), 1000);
  assert.equal(bad.gpus.length, 2);
  assert.ok(bad.gpus[0]?.name.startsWith('\ufffd'));
});

test('names that would pollute prototypes are refused or kept as plain data', () => {
  const tags = timed(`<nvidia_smi_log><gpu><__proto__><polluted>1</polluted></__proto__><product_name>X</product_name></gpu></nvidia_smi_log>`, 500);
  assert.equal(tags.gpus.length, 0);
  assert.match(tags.problem ?? '', /malformed/);
  const attrs = timed(`<nvidia_smi_log><gpu __proto__="x" constructor="y" id="00000000:01:00.0"><product_name>__proto__</product_name></gpu></nvidia_smi_log>`, 500);
  assert.equal(attrs.gpus[0]?.busId, '00000000:01:00.0');
  assert.equal(attrs.gpus[0]?.name, '__proto__');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('floods of elements, attributes and text stay within bounds', () => {
  const cases = {
    elements: `<nvidia_smi_log>${'<a/>'.repeat(200_000)}</nvidia_smi_log>`,
    attributes: `<nvidia_smi_log><gpu ${'a="1" '.repeat(100_000)}><product_name>X</product_name></gpu></nvidia_smi_log>`,
    gpus: `<nvidia_smi_log>${'<gpu></gpu>'.repeat(100_000)}</nvidia_smi_log>`,
    closeTags: '</gpu>'.repeat(300_000),
    openTag: `<nvidia_smi_log><gpu id="${'x'.repeat(1_000_000)}`,
  };
  for (const [name, src] of Object.entries(cases)) {
    const r = timed(src, 10_000);
    assert.ok(r.gpus.length <= MAX_XML_GPUS, name);
  }
});
