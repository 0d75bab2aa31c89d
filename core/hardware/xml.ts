/**
 * Reads XML that a vendor tool printed (`nvidia-smi -q -x`): untrusted driver output, which a
 * crashing or killed tool can leave cut off. fast-xml-parser does the parsing; this module
 * sets it up safely (values stay strings, no entity expansion beyond the XML built-ins,
 * bounded size and depth) and turns a cut-off document into the records that were complete.
 */
import { XMLParser } from 'fast-xml-parser';

/**
 * One element as fast-xml-parser gives it in document order: `{ name: [children...], ':@': {
 * '@_id': ... } }`, where a text child is `{ '#text': '...' }`. Read it through the helpers below,
 * which check every shape rather than trust it.
 */
export type XmlNode = { readonly [key: string]: unknown };

export type XmlRead = {
  /** The document's root: its top-level elements are its children. */
  doc: XmlNode;
  /** Why the document was not read whole (cut off, malformed, refused), or null. */
  problem: string | null;
};

/**
 * The largest recorded output is ~120 KB per GPU, so 4 MiB holds a 16-GPU machine twice over
 * and bounds what a hostile document costs (measured on 2 slow cores: ~3 s and ~200 MB at worst).
 * Larger output is refused with a reason; callers then fall back to the CSV queries.
 */
export const MAX_XML_CHARS = 4 * 1024 * 1024;
const TEXT = '#text';
const ATTRS = ':@';
const ATTR = '@_';
const DOCUMENT = '#document';

const parser = new XMLParser({
  // Only `id` is read (<gpu id=...>); skipping the rest keeps attribute floods cheap.
  ignoreAttributes: (name: string) => name !== 'id',
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  // "00000000:01:00.0", "0x1E8710DE", "N/A" and "12.10" must reach the value parsers as written.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Document order, as lists: no field a new driver repeats can change the shape, and it is
  // the library's cheapest mode (a flood of 4 MB of tiny elements reads in ~1 s, not ~5 s).
  preserveOrder: true,
  // The five XML entities only: readXml refuses documents declaring their own before this
  // runs; these limits are the library's own second line should one get through.
  processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 1, maxExpandedLength: 1 },
  htmlEntities: false,
  // nvidia-smi nests 5 deep; the library's parse and tree building are bounded by this.
  maxNestedTags: 64,
  // Callbacks get the path matcher rather than a string built for every element.
  jPath: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 200);
}

function parse(src: string): XmlNode {
  const out: unknown = parser.parse(src);
  return { [DOCUMENT]: Array.isArray(out) ? out : [] };
}

/** An internal DTD subset is the only place entities can be declared; nvidia-smi never writes one. */
function declaresEntities(src: string): boolean {
  const doctype = src.indexOf('<!DOCTYPE');
  if (doctype < 0) return false;
  const end = src.indexOf('>', doctype);
  const bracket = src.indexOf('[', doctype);
  return bracket >= 0 && (end < 0 || bracket < end);
}

/**
 * Parses untrusted XML and never throws. A document that does not end with `</root>` (cut off
 * by a killed tool) or that the parser rejects is read only up to the end of its last complete
 * `<unit>` element (e.g. "gpu"), so every record returned was written whole and a half-written
 * one is dropped; `problem` then says why.
 */
export function readXml(src: string, shape: { root: string; unit: string }): XmlRead {
  if (src.length > MAX_XML_CHARS) {
    return { doc: {}, problem: `The XML is ${(src.length / 1048576).toFixed(1)} MB, over the ${MAX_XML_CHARS / 1048576} MB Hearth reads; it was ignored.` };
  }
  if (declaresEntities(src)) {
    return { doc: {}, problem: 'The XML declares its own DTD entities, which nvidia-smi never does; it was ignored.' };
  }
  const nul = src.indexOf('\0');
  // XML forbids NUL; output that holds one is corrupt from there on.
  const text = nul >= 0 ? src.slice(0, nul) : src;
  let problem: string;
  if (nul >= 0) problem = `The XML holds a NUL byte at offset ${nul}`;
  else if (!text.trimEnd().endsWith(`</${shape.root}>`)) problem = `The XML ends before its closing </${shape.root}> (${text.length} characters read)`;
  else {
    try {
      return { doc: parse(text), problem: null };
    } catch (e) {
      problem = `The XML is malformed (${message(e)})`;
    }
  }
  const close = `</${shape.unit}>`;
  const end = text.lastIndexOf(close);
  if (end < 0) return { doc: {}, problem: `${problem}; it holds no complete <${shape.unit}> element.` };
  try {
    // Up to a closing tag nothing is left half-written; the parser accepts the unclosed ancestors.
    return { doc: parse(text.slice(0, end + close.length)), problem: `${problem}; only the <${shape.unit}> elements complete before that point were read.` };
  } catch (e) {
    return { doc: {}, problem: `${problem}; reading what came before failed too: ${message(e)}.` };
  }
}

function isNode(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The element's name: its one key besides the attributes. */
function nameOf(el: XmlNode): string | undefined {
  for (const k of Object.keys(el)) if (k !== ATTRS) return k;
  return undefined;
}

/** The element's content list (child elements and text pieces). */
function contentOf(el: XmlNode | undefined): XmlNode[] {
  const name = el ? nameOf(el) : undefined;
  const list = name === undefined || name === TEXT ? undefined : el![name];
  return Array.isArray(list) ? list.filter(isNode) : [];
}

/** All child elements with that name. */
export function children(el: XmlNode | undefined, name: string): XmlNode[] {
  return contentOf(el).filter((c) => nameOf(c) === name && Array.isArray(c[name]));
}

/** First child element with that name, or undefined. */
export function child(el: XmlNode | undefined, name: string): XmlNode | undefined {
  return contentOf(el).find((c) => nameOf(c) === name && Array.isArray(c[name]));
}

/** The element's own text (its text pieces joined, trimmed); '' when it has none. */
export function textOf(el: XmlNode | undefined): string {
  let out = '';
  for (const c of contentOf(el)) {
    const t = Object.hasOwn(c, TEXT) ? c[TEXT] : undefined;
    if (typeof t === 'string') out += t;
  }
  return out.trim();
}

/** An attribute's value, or undefined. */
export function attr(el: XmlNode | undefined, name: string): string | undefined {
  const attrs = el && Object.hasOwn(el, ATTRS) ? el[ATTRS] : undefined;
  if (!isNode(attrs) || !Object.hasOwn(attrs, ATTR + name)) return undefined;
  const v = attrs[ATTR + name];
  return typeof v === 'string' ? v : undefined;
}

/** Text at a path of child names ("fb_memory_usage/total"), or undefined when any step is absent. */
export function at(el: XmlNode | undefined, path: string): string | undefined {
  let cur = el;
  for (const part of path.split('/')) {
    cur = child(cur, part);
    if (!cur) return undefined;
  }
  return textOf(cur);
}

/** Text of the first path that exists (XML schemas renamed fields across driver versions). */
export function first(el: XmlNode | undefined, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = at(el, p);
    if (v !== undefined) return v;
  }
  return undefined;
}
