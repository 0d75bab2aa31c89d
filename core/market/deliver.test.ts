import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResultDelivery } from '../../common/market/job-format.ts';
import { createFakeClock } from '../hardware/testing/fake-clock.ts';
import { systemClock } from '../node-ports.ts';
import { deliverResult, sanitize } from './deliver.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const delivery: ResultDelivery = {
  version: 1,
  chainId: 31337,
  market: `0x${'11'.repeat(20)}`,
  jobId: '7',
  provider: `0x${'22'.repeat(20)}`,
  outputs: {},
  resultHash: `0x${'33'.repeat(32)}`,
  signature: `0x${'44'.repeat(65)}`,
};
const local = { clock: systemClock, allowPrivateHosts: true, timeoutMs: 2_000, backoffMs: 20 };

describe('deliverResult', () => {
  let server: TestServer;
  let flaky = 0;
  before(async () => {
    server = await startTestServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/ok') {
        res.writeHead(202);
        res.end('thanks');
      } else if (path === '/bad') {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`bad\x1b[31m signature\r\n\u202e${'x'.repeat(500)}`);
      } else if (path === '/flaky') {
        flaky++;
        res.writeHead(flaky <= 2 ? 503 : 200);
        res.end(flaky <= 2 ? 'busy' : 'ok');
      } else if (path === '/redirect') {
        res.writeHead(307, { location: '/ok' });
        res.end();
      } else if (path === '/silent') {
        // headers never come
      } else if (path === '/headers-only') {
        res.writeHead(400);
        res.write('partial');
        // the rest never comes
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  after(() => server.stop());

  it('POSTs the delivery as JSON and reports acceptance', async () => {
    const out = await deliverResult(`${server.url}/ok`, delivery, local);
    assert.deepEqual(out, { ok: true, status: 202 });
    const req = server.requests.find((r) => r.path === '/ok');
    assert.equal(req?.method, 'POST');
    assert.deepEqual(JSON.parse(req?.body ?? ''), delivery);
  });

  it('treats 4xx as final with the server message, cleaned and cut to 200 characters', async () => {
    const before = server.requests.length;
    const out = await deliverResult(`${server.url}/bad`, delivery, local);
    assert.equal(out.ok, false);
    const reason = (out as { reason: string }).reason;
    assert.match(reason, /^HTTP 400: bad \[31m signature x+$/);
    assert.ok(reason.length <= 'HTTP 400: '.length + 200, reason);
    assert.ok(![...reason].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u202e'), reason);
    assert.equal(server.requests.length - before, 1, 'no retry after a 4xx');
  });

  it('retries 503 with backoff and succeeds on the third try', async () => {
    flaky = 0;
    const out = await deliverResult(`${server.url}/flaky`, delivery, local);
    assert.deepEqual(out, { ok: true, status: 200 });
    assert.equal(flaky, 3);
  });

  it('gives up after the attempts on a 5xx that persists', async () => {
    flaky = -10;
    const out = await deliverResult(`${server.url}/flaky`, delivery, { ...local, attempts: 2 });
    assert.deepEqual(out, { ok: false, reason: 'HTTP 503: busy (after 2 tries)' });
  });

  it('does not follow redirects', async () => {
    const out = await deliverResult(`${server.url}/redirect`, delivery, local);
    assert.equal(out.ok, false);
    assert.match((out as { reason: string }).reason, /redirected \(HTTP 307\)/);
  });

  it('is bounded by timeout × attempts against a server that never answers', async () => {
    const started = Date.now();
    const out = await deliverResult(`${server.url}/silent`, delivery, { ...local, timeoutMs: 200, attempts: 3 });
    const took = Date.now() - started;
    assert.equal(out.ok, false);
    assert.match((out as { reason: string }).reason, /no answer within 200 ms \(after 3 tries\)/);
    assert.ok(took >= 600 && took < 2_500, `took ${took} ms`);
  });

  it('bounds a refusal whose body never ends', async () => {
    const started = Date.now();
    const out = await deliverResult(`${server.url}/headers-only`, delivery, { ...local, timeoutMs: 300, attempts: 1 });
    assert.deepEqual(out, { ok: false, reason: 'HTTP 400: partial' });
    assert.ok(Date.now() - started < 2_000);
  });

  it('reports a closed port without throwing', async () => {
    const gone = await startTestServer(() => undefined);
    await gone.stop();
    const out = await deliverResult(`${gone.url}/ok`, delivery, { ...local, attempts: 2 });
    assert.equal(out.ok, false);
    assert.match((out as { reason: string }).reason, /could not reach the requester \(ECONNREFUSED\) \(after 2 tries\)/);
  });

  it('refuses private hosts when not allowed and bad schemes, without a request', async () => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response(null, { status: 200 });
    }) as typeof fetch;
    const strict = { clock: systemClock, allowPrivateHosts: false, fetchImpl };
    for (const uri of [`${server.url}/ok`, 'http://[::1]/r', 'http://169.254.169.254/r', 'http://localhost/r']) {
      const out = await deliverResult(uri, delivery, strict);
      assert.equal(out.ok, false, uri);
      assert.match((out as { reason: string }).reason, /not a public internet address/);
    }
    assert.deepEqual(await deliverResult('file:///tmp/x', delivery, strict), { ok: false, reason: 'the result address uses file:; only http and https are allowed' });
    assert.deepEqual(await deliverResult('nope', delivery, strict), { ok: false, reason: 'the result address is not a URL' });
    assert.equal(calls, 0);
    const pub = await deliverResult('https://requester.example/r', delivery, { ...strict, resolve: async () => ['93.184.216.34'] });
    assert.deepEqual(pub, { ok: true, status: 200 });
  });

  it('waits between tries through the clock', async () => {
    const fake = createFakeClock();
    const clock = { ...fake, setInterval: () => ({ id: -1 }), clearInterval: () => undefined };
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      if (calls < 3) throw new TypeError('fetch failed');
      return new Response(null, { status: 200 });
    }) as typeof fetch;
    let settled: unknown;
    void deliverResult('http://127.0.0.1/r', delivery, { clock, allowPrivateHosts: true, fetchImpl, backoffMs: 1_000 }).then((v) => (settled = v));
    await fake.advance(0);
    assert.equal(calls, 1);
    await fake.advance(999);
    assert.equal(calls, 1);
    await fake.advance(1);
    assert.equal(calls, 2);
    await fake.advance(1_999);
    assert.equal(calls, 2);
    await fake.advance(1);
    assert.equal(calls, 3);
    assert.deepEqual(settled, { ok: true, status: 200 });
  });

  it('sanitize keeps letters and drops control characters', () => {
    assert.equal(sanitize('  a\u0000b\tc\n\u009fd  '), 'a b c d');
    assert.equal(sanitize('é'.repeat(300)).length, 200);
  });
});
