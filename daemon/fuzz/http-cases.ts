import fc from 'fast-check';

/**
 * Raw HTTP requests for the daemon's static path and WebSocket upgrade path, as bytes a
 * hostile local process or page could send: any method, request targets with `//`, broken
 * percent-encoding, absolute and asterisk forms and 70 KB paths; wrong, missing, duplicated
 * and huge Host, Origin and Cookie headers; broken Sec-WebSocket-Key and version; junk
 * headers by the thousand; bodies with lying lengths; and the request cut off anywhere.
 * `{TOKEN}` and `{PORT}` are filled in when the case is sent.
 */
export type TokenUse = 'none' | 'query' | 'cookie' | 'wrong';

export interface HttpCase {
  token: TokenUse;
  text: string;
  /** Cut the request to this many bytes (a peer that stops halfway); null sends it whole. */
  cutAt: number | null;
  /** Write it in this many pieces. */
  pieces: number;
}

/** Mostly what a server expects, sometimes not: most requests must get past the HTTP parser to reach Hearth's own checks. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: odd });

const methods = mostly(
  fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
  fc.constantFrom('POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'get', 'G ET', '', 'GET\u0000', 'X'.repeat(1000)),
);

const paths = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('/', '/index.html', '/assets/app.js', '/api', '/nope.js') },
  fc.constantFrom(
    '/',
    '/index.html',
    '/assets/app.js',
    '/api',
    '/api/',
    '//',
    '///api',
    '//api',
    '/%',
    '/%zz',
    '/%00',
    '/%E0%A4%A',
    '/..%2f..%2fsecret.txt',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/../../secret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/api/../api',
    '*',
    'http://127.0.0.1:{PORT}/api',
    'http://evil.example/',
    '/?',
    '/#frag',
    '/\u00e9\u202e',
    '/\u0000',
    `/${'a'.repeat(70_000)}`,
    '',
  ),
  fc.webPath(),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((s) => `/${s}`),
);

const queries = (token: TokenUse): fc.Arbitrary<string> => {
  if (token === 'query') return fc.constantFrom('?token={TOKEN}', '?a=1&token={TOKEN}', '?token={TOKEN}&token=x');
  if (token === 'wrong')
    return fc.constantFrom('?token=', '?token=wrong', '?token={TOKEN}x', '?token[]={TOKEN}', '?TOKEN={TOKEN}', '?token=%zz');
  return fc.constantFrom('', '', '?', '?a=%', `?${'x'.repeat(5000)}`);
};

const versions = mostly(fc.constant('HTTP/1.1'), fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', 'http/1.1', ''));

const hosts = mostly(
  fc.constantFrom<string[]>(['127.0.0.1:{PORT}'], ['localhost:{PORT}']),
  fc.constantFrom<string[]>(
    [],
    [''],
    ['evil.example'],
    ['127.0.0.1:{PORT}', 'evil.example'],
    ['127.0.0.1:{PORT}\u0000'],
    ['a'.repeat(10_000)],
  ),
);
const origins = fc.constantFrom<string[]>(
  [],
  [],
  ['http://127.0.0.1:{PORT}'],
  ['null'],
  ['http://evil.example'],
  ['http://127.0.0.1:{PORT}.evil.example'],
  ['http://127.0.0.1:{PORT}', 'http://evil.example'],
);
const cookies = (token: TokenUse): fc.Arbitrary<string[]> =>
  token === 'cookie'
    ? fc.constantFrom(['hearth_token={TOKEN}'], ['a=1; hearth_token={TOKEN}'])
    : fc.constantFrom(
        [],
        [],
        ['hearth_token=%'],
        ['hearth_token=%E0%A4%A'],
        ['hearth_token=wrong'],
        ['hearth_token=; hearth_token=x'],
        [`x=${'%'.repeat(4000)}`],
      );

const upgradeHeaders = fc.record({
  upgrade: mostly(fc.constant('websocket'), fc.constantFrom('WebSocket', 'h2c', '')),
  connection: mostly(fc.constantFrom('Upgrade', 'keep-alive, Upgrade'), fc.constantFrom('close', '')),
  key: mostly(fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), fc.constantFrom('', 'short', '!!!!!!!!!!!!!!!!!!!!!!==', 'k'.repeat(2000))),
  version: mostly(fc.constant('13'), fc.constantFrom('8', '', '999999999999999999999', '13, 8', '-1')),
  extra: fc.constantFrom<string[]>(
    [],
    [],
    ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits'],
    ['Sec-WebSocket-Protocol: , ,,'],
    ['Sec-WebSocket-Key: second'],
  ),
});

const junkHeaderNames = fc.constantFrom(
  'X-A',
  'Content-Length',
  'Transfer-Encoding',
  ' Host',
  'Host ',
  'Expect',
  'a'.repeat(9000),
  '\u0000',
  'X-\u00e9',
  ':authority',
);
const junkHeaders = fc.oneof(
  { weight: 12, arbitrary: fc.constant([]) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(junkHeaderNames, fc.string({ unit: 'binary-ascii', maxLength: 40 })), { maxLength: 6 })
      .map((pairs) => pairs.map(([n, v]) => `${n}: ${v}`)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Array.from({ length: 2000 }, (_, i) => `X-${i}: ${i}`),
      [`X-Big: ${'b'.repeat(100_000)}`],
    ),
  },
);
const bodies = mostly(
  fc.constant(''),
  fc.constantFrom(
    'Content-Length: 5\r\n\r\nhello',
    'Content-Length: 1000000\r\n\r\nshort',
    'Content-Length: -1\r\n\r\n',
    'Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n',
    'Content-Length: 1\r\nContent-Length: 2\r\n\r\nab',
  ),
);

export function httpCase(): fc.Arbitrary<HttpCase> {
  return fc.constantFrom<TokenUse>('none', 'query', 'cookie', 'wrong').chain((token) =>
    fc
      .record({
        method: methods,
        path: paths,
        query: queries(token),
        version: versions,
        host: hosts,
        origin: origins,
        cookie: cookies(token),
        upgrade: fc.option(upgradeHeaders, { nil: undefined, freq: 2 }),
        junk: junkHeaders,
        body: bodies,
        cutAt: mostly(fc.constant(null), fc.nat({ max: 400 })),
        pieces: fc.integer({ min: 1, max: 3 }),
      })
      .map((r) => {
        const lines = [`${r.method} ${r.path}${r.query} ${r.version}`];
        for (const host of r.host) lines.push(`Host: ${host}`);
        for (const origin of r.origin) lines.push(`Origin: ${origin}`);
        for (const cookie of r.cookie) lines.push(`Cookie: ${cookie}`);
        if (r.upgrade) {
          const u = r.upgrade;
          lines.push(
            `Upgrade: ${u.upgrade}`,
            `Connection: ${u.connection}`,
            `Sec-WebSocket-Key: ${u.key}`,
            `Sec-WebSocket-Version: ${u.version}`,
            ...u.extra,
          );
        }
        lines.push(...r.junk);
        const head = `${lines.join('\r\n')}\r\n`;
        const text = r.body === '' ? `${head}\r\n` : `${head}${r.body}`;
        return { token, text, cutAt: r.cutAt, pieces: r.pieces };
      }),
  );
}
