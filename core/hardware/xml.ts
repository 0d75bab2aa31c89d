/**
 * A small, tolerant XML reader: enough for `nvidia-smi -q -x` (elements, attributes, text),
 * never throws, and survives truncated or mismatched output from a crashing driver.
 */

export type XmlElement = {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, trimmed. */
  text: string;
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ent.toLowerCase()] ?? whole;
  });
}

function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([^\s=/]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    attrs[m[1]!] = decode(m[3] ?? m[4] ?? m[5] ?? '');
  }
  return attrs;
}

/**
 * Parses XML into a tree under a synthetic root named "#document".
 * Unknown constructs are skipped; unclosed elements are closed at the end.
 */
export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const texts: string[][] = [[]];
  let i = 0;
  const n = src.length;
  const closeTop = () => {
    const el = stack.pop()!;
    el.text = texts.pop()!.join('').trim();
  };
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      texts[texts.length - 1]!.push(decode(src.slice(i)));
      break;
    }
    if (lt > i) texts[texts.length - 1]!.push(decode(src.slice(i, lt)));
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', lt)) {
      const end = src.indexOf(']]>', lt + 9);
      texts[texts.length - 1]!.push(src.slice(lt + 9, end < 0 ? n : end));
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (src[lt + 1] === '?' || src[lt + 1] === '!') {
      const end = src.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const gt = src.indexOf('>', lt + 1);
    if (gt < 0) break; // truncated tag: stop here, keep what we have
    const body = src.slice(lt + 1, gt);
    i = gt + 1;
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) while (stack.length > at) closeTop();
      continue; // a stray close tag is ignored
    }
    const selfClosing = body.endsWith('/');
    const inner = selfClosing ? body.slice(0, -1) : body;
    const nameMatch = /^\s*([^\s/>]+)/.exec(inner);
    if (!nameMatch) continue;
    const el: XmlElement = { name: nameMatch[1]!, attrs: parseAttrs(inner.slice(nameMatch[0].length)), children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClosing) {
      stack.push(el);
      texts.push([]);
    }
  }
  while (stack.length > 1) closeTop();
  root.text = texts[0]!.join('').trim();
  return root;
}

/** First child element with that name, or undefined. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All child elements with that name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Text at a path of child names ("fb_memory_usage/total"), or undefined when any step is absent. */
export function at(el: XmlElement | undefined, path: string): string | undefined {
  let cur = el;
  for (const part of path.split('/')) {
    cur = child(cur, part);
    if (!cur) return undefined;
  }
  return cur?.text;
}

/** Text of the first path that exists (XML schemas renamed fields across driver versions). */
export function first(el: XmlElement | undefined, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = at(el, p);
    if (v !== undefined) return v;
  }
  return undefined;
}
