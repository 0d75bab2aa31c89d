import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashBytes, toJsonTensor } from '../../common/market/job-format.ts';
import { fetchJobInput, type FetchInputOptions } from './fetch-input.ts';
import { isPrivateAddress } from './host-policy.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const doc = {
  version: 1,
  model: 'paddleocr-rec-v4',
  inputs: { x: toJsonTensor('float32', [1, 2], new Float32Array([1, 2])) },
  resultUri: 'http://127.0.0.1:9/result',
};
const docBytes = new TextEncoder().encode(JSON.stringify(doc));
const docHash = hashBytes(docBytes);
const local: FetchInputOptions = { allowPrivateHosts: true, timeoutMs: 3_000, idleTimeoutMs: 2_000 };

function code(expected: string, messageLike?: RegExp) {
  return (error: unknown): boolean => {
    assert.equal((error as { code?: string }).code, expected, String(error));
    if (messageLike) assert.match((error as Error).message, messageLike);
    return true;
  };
}

describe('fetchJobInput', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/doc') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(docBytes);
      } else if (path === '/500') {
        res.writeHead(500);
        res.end('boom');
      } else if (path === '/hang') {
        // never answers
      } else if (path === '/trickle') {
        res.writeHead(200);
        const t = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(t));
      } else if (path === '/slow-start') {
        res.writeHead(200);
        res.write('{');
        // then nothing: the idle timer should fire
      } else if (path === '/big-announced') {
        res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
        const chunk = Buffer.alloc(64 * 1024, 32);
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      } else if (path === '/big-chunked') {
        res.writeHead(200);
        const chunk = Buffer.alloc(16 * 1024, 32);
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      } else if (path.startsWith('/hop/')) {
        const n = Number(path.slice(5));
        res.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : '/doc' });
        res.end();
      } else if (path === '/to-file') {
        res.writeHead(301, { location: 'file:///etc/passwd' });
        res.end();
      } else if (path === '/not-json') {
        res.writeHead(200);
        res.end('{"version": 1,');
      } else if (path === '/bad-schema') {
        res.writeHead(200);
        res.end(JSON.stringify({ ...doc, version: 2 }));
      } else {
        res.writeHead(404);
        res.end('no such thing');
      }
    });
  });
  after(() => server.stop());

  it('fetches, verifies and parses a good document', async () => {
    const got = await fetchJobInput(`${server.url}/doc`, docHash, local);
    assert.deepEqual(got.bytes, docBytes);
    assert.equal(got.document.model, 'paddleocr-rec-v4');
    // an upper-case expected hash is the same hash
    await fetchJobInput(`${server.url}/doc`, docHash.toUpperCase().replace('0X', '0x'), local);
  });

  it('refuses bytes whose hash differs, naming both hashes briefly', async () => {
    const wrong = `0x${'ab'.repeat(32)}`;
    await assert.rejects(fetchJobInput(`${server.url}/doc`, wrong, local), (e: unknown) => {
      code('input_hash_mismatch')(e);
      const m = (e as Error).message;
      assert.ok(m.includes('0xabababab'), m);
      assert.ok(m.includes(docHash.slice(0, 10)), m);
      assert.ok(m.length < 160, m);
      return true;
    });
  });

  it('reports 404 and 500 with the status', async () => {
    await assert.rejects(fetchJobInput(`${server.url}/missing`, docHash, local), code('input_unreachable', /404/));
    await assert.rejects(fetchJobInput(`${server.url}/500`, docHash, local), code('input_unreachable', /500/));
  });

  it('times out a server that never answers', async () => {
    const started = Date.now();
    await assert.rejects(fetchJobInput(`${server.url}/hang`, docHash, { ...local, timeoutMs: 300 }), code('input_timeout'));
    assert.ok(Date.now() - started < 2_000);
  });

  it('gives up on a body that trickles forever (total timeout) and one that stalls (idle timeout)', async () => {
    await assert.rejects(fetchJobInput(`${server.url}/trickle`, docHash, { ...local, timeoutMs: 400, idleTimeoutMs: 200 }), code('input_timeout', /within/));
    await server.closed('/trickle');
    await assert.rejects(fetchJobInput(`${server.url}/slow-start`, docHash, { ...local, timeoutMs: 3_000, idleTimeoutMs: 200 }), code('input_timeout', /stopped/));
  });

  it('refuses an announced oversize body before reading it and closes the connection', async () => {
    await assert.rejects(fetchJobInput(`${server.url}/big-announced`, docHash, { ...local, maxBytes: 1024 }), code('input_too_large'));
    const { bytesWritten } = await server.closed('/big-announced');
    assert.ok(bytesWritten < 10 * 1024 * 1024, `server wrote ${bytesWritten}`);
  });

  it('counts an unannounced body and stops past the cap, closing the connection', async () => {
    await assert.rejects(fetchJobInput(`${server.url}/big-chunked`, docHash, { ...local, maxBytes: 100_000 }), code('input_too_large'));
    const { bytesWritten } = await server.closed('/big-chunked');
    assert.ok(bytesWritten < 8 * 1024 * 1024, `server wrote ${bytesWritten}`);
  });

  it('follows up to 3 redirects and no more', async () => {
    const ok = await fetchJobInput(`${server.url}/hop/2`, docHash, local); // 3 redirects
    assert.equal(ok.document.version, 1);
    await assert.rejects(fetchJobInput(`${server.url}/hop/3`, docHash, local), code('input_unreachable', /redirects more than 3/));
  });

  it('refuses a redirect to file:', async () => {
    await assert.rejects(fetchJobInput(`${server.url}/to-file`, docHash, local), code('input_scheme', /file:/));
  });

  it('re-checks the host policy on each redirect hop', async () => {
    // The first hop is public (by the fake resolver), the redirect leads to 127.0.0.1.
    const seen: string[] = [];
    const fetchImpl = (async (input: string | URL | Request) => {
      seen.push(input instanceof Request ? input.url : input.toString());
      return new Response(null, { status: 302, headers: { location: 'http://127.0.0.1/doc' } });
    }) as typeof fetch;
    await assert.rejects(
      fetchJobInput('http://inputs.example/doc', docHash, { allowPrivateHosts: false, fetchImpl, resolve: async () => ['93.184.216.34'] }),
      code('input_host_refused', /127\.0\.0\.1/),
    );
    assert.deepEqual(seen, ['http://inputs.example/doc']);
  });

  it('refuses other schemes and non-URLs', async () => {
    for (const uri of ['file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', '', '   ', 'not a url']) {
      await assert.rejects(fetchJobInput(uri, docHash, local), code('input_scheme'), uri);
    }
  });

  it('decodes data: URIs, base64 and percent-encoded', async () => {
    const b64 = `data:application/json;base64,${Buffer.from(docBytes).toString('base64')}`;
    assert.equal((await fetchJobInput(b64, docHash, local)).document.model, doc.model);
    const pct = `data:application/json,${encodeURIComponent(JSON.stringify(doc))}`;
    assert.equal((await fetchJobInput(pct, docHash, local)).document.model, doc.model);
    // data: never touches the network, so it works with private hosts refused, too
    assert.deepEqual((await fetchJobInput(pct, docHash, { allowPrivateHosts: false })).bytes, docBytes);
  });

  it('refuses bad base64 and oversize data: URIs', async () => {
    await assert.rejects(fetchJobInput('data:application/json;base64,e30*!', docHash, local), code('input_invalid', /base64/));
    await assert.rejects(fetchJobInput('data:application/json;base64,e30=e30=', docHash, local), code('input_invalid', /base64/));
    await assert.rejects(fetchJobInput('data:,%zz', docHash, local), code('input_invalid'));
    await assert.rejects(fetchJobInput('data:application/json', docHash, local), code('input_invalid', /comma/));
    const big = `data:;base64,${Buffer.alloc(2000).toString('base64')}`;
    await assert.rejects(fetchJobInput(big, docHash, { ...local, maxBytes: 1000 }), code('input_too_large'));
    await assert.rejects(fetchJobInput(`data:,${'a'.repeat(10_000)}`, docHash, { ...local, maxBytes: 1000 }), code('input_too_large'));
  });

  it('refuses private hosts when not allowed, without sending a request', async () => {
    const before = server.requests.length;
    let fetched = 0;
    const fetchImpl = (async () => {
      fetched++;
      return new Response('{}');
    }) as typeof fetch;
    const opts = { allowPrivateHosts: false, fetchImpl };
    const cases = [
      `${server.url}/doc`,
      `http://[::1]:${server.port}/doc`,
      'http://10.1.2.3/doc',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/doc',
      'http://[::ffff:7f00:1]/doc',
      'http://0x7f.1/doc', // the URL parser normalizes this to 127.0.0.1
      'http://100.64.0.1/doc',
      'http://[fe80::1]/doc',
      'http://[fd00::1]/doc',
      'http://224.0.0.1/doc',
      'http://0.0.0.0/doc',
      `http://localhost:${server.port}/doc`,
    ];
    for (const uri of cases) await assert.rejects(fetchJobInput(uri, docHash, opts), code('input_host_refused'), uri);
    // a name resolving to any private address is refused
    await assert.rejects(
      fetchJobInput('http://mixed.example/doc', docHash, { ...opts, resolve: async () => ['93.184.216.34', '192.168.1.5'] }),
      code('input_host_refused', /192\.168\.1\.5/),
    );
    await assert.rejects(
      fetchJobInput('http://nowhere.invalid/doc', docHash, { ...opts, resolve: async () => Promise.reject(new Error('ENOTFOUND')) }),
      code('input_unreachable', /resolve/),
    );
    assert.equal(fetched, 0);
    assert.equal(server.requests.length, before);
  });

  it('lets a public host through the policy', async () => {
    const fetchImpl = (async () => new Response(docBytes)) as typeof fetch;
    const got = await fetchJobInput('https://inputs.example/doc', docHash, { allowPrivateHosts: false, fetchImpl, resolve: async () => ['93.184.216.34', '2606:2800:220:1::1'] });
    assert.equal(got.document.version, 1);
  });

  it('reports invalid JSON and schema failures with the first issue', async () => {
    const notJson = new TextEncoder().encode('{"version": 1,');
    await assert.rejects(fetchJobInput(`${server.url}/not-json`, hashBytes(notJson), local), code('input_invalid', /not JSON/));
    const bad = new TextEncoder().encode(JSON.stringify({ ...doc, version: 2 }));
    await assert.rejects(fetchJobInput(`${server.url}/bad-schema`, hashBytes(bad), local), code('input_invalid', /version/));
  });

  it('maps a closed port and DNS failure to input_unreachable', async () => {
    const closed = await startTestServer(() => undefined);
    const url = `${closed.url}/doc`;
    await closed.stop();
    await assert.rejects(fetchJobInput(url, docHash, local), code('input_unreachable', /ECONNREFUSED/));
  });

  it('stops when the caller aborts, before or during the fetch', async () => {
    const early = new AbortController();
    early.abort();
    await assert.rejects(fetchJobInput(`${server.url}/doc`, docHash, { ...local, signal: early.signal }), code('input_aborted'));
    const late = new AbortController();
    setTimeout(() => late.abort(), 100);
    await assert.rejects(fetchJobInput(`${server.url}/hang`, docHash, { ...local, signal: late.signal }), code('input_aborted'));
  });
});

describe('isPrivateAddress', () => {
  it('knows the private, special and public ranges', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.1.1', '100.64.0.1', '100.127.255.255', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::1', '[::1]', 'fe80::1%eth0', 'fc00::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:a00:1', '64:ff9b::7f00:1', 'garbage']) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:2800:220:1::1', '::ffff:8.8.8.8', '2001:db8::1']) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });
});
