import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Wallet } from 'ethers';
import { JOB_FORMAT_VERSION, deliveryMessage, resultHashOf, toJsonTensor, type ResultDelivery } from '../../common/market/job-format.ts';
import { startJobServer } from './job-server.ts';

const job = { chainId: 31337, market: '0x' + '11'.repeat(20), jobId: '7' };
const provider = Wallet.createRandom();

async function delivery(overrides: Partial<ResultDelivery> = {}): Promise<ResultDelivery> {
  const outputs = { y: toJsonTensor('float32', [1, 2], Float32Array.from([0.25, 0.75])) };
  const resultHash = resultHashOf(outputs);
  const base = { ...job, resultHash };
  return { version: JOB_FORMAT_VERSION, ...base, provider: provider.address, outputs, signature: await provider.signMessage(deliveryMessage(base)), ...overrides };
}

async function post(url: string, body: string, type = 'application/json') {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string } };
}

/** Sends raw bytes on a socket and returns what comes back before it closes. */
function raw(url: string, text: string, keepOpenMs = 0): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let out = '';
    const socket = connect(Number(port), hostname, () => {
      socket.write(text);
      if (keepOpenMs === 0) socket.end();
    });
    socket.on('data', (d) => (out += d.toString()));
    socket.on('error', () => resolve(out));
    socket.on('close', () => resolve(out));
  });
}

test('the job server serves the document and keeps only verified deliveries for the bound job', async () => {
  const server = await startJobServer();
  try {
    const hosted = server.host(({ resultUri }) => new TextEncoder().encode(JSON.stringify({ resultUri })));
    const doc = (await (await fetch(hosted.inputUri)).json()) as { resultUri: string };
    assert.equal(doc.resultUri, hosted.resultUri);
    assert.equal((await fetch(`${server.url}/jobs/${'0'.repeat(64)}/input`)).status, 404);
    assert.equal((await fetch(`${server.url}/etc/passwd`)).status, 404);

    assert.equal((await post(hosted.resultUri, JSON.stringify(await delivery()))).status, 409, 'not bound to a posted job yet');
    hosted.bind(job);
    const received: ResultDelivery[] = [];
    hosted.onDelivery((d) => received.push(d));

    const good = await delivery();
    assert.deepEqual(await post(hosted.resultUri, JSON.stringify(good)), { status: 200, body: { ok: true } });
    assert.equal(received.length, 1);
    assert.equal(hosted.deliveryFrom(provider.address)?.resultHash, good.resultHash);

    const wrongJob = await post(hosted.resultUri, JSON.stringify(await delivery({ jobId: '8' })));
    assert.equal(wrongJob.status, 400);
    assert.match(wrongJob.body.error ?? '', /job 7/);
    const forged = await post(hosted.resultUri, JSON.stringify({ ...good, resultHash: '0x' + 'ab'.repeat(32) }));
    assert.equal(forged.status, 400);
    assert.match(forged.body.error ?? '', /does not verify/);
    const stranger = Wallet.createRandom();
    const badSig = await post(hosted.resultUri, JSON.stringify({ ...good, signature: await stranger.signMessage(deliveryMessage(good)) }));
    assert.match(badSig.body.error ?? '', /signed by/);

    hosted.authorize(async (p) => p.toLowerCase() === stranger.address.toLowerCase());
    const notClaimant = await post(hosted.resultUri, JSON.stringify(good));
    assert.equal(notClaimant.status, 403);
    assert.equal(received.length, 1);
  } finally {
    await server.close();
  }
});

test('hostile bodies get a 4xx and never crash the server', async () => {
  const server = await startJobServer({ maxResultBytes: 4096, bodyTimeoutMs: 400 });
  try {
    const hosted = server.host(() => new Uint8Array([123, 125]));
    hosted.bind(job);
    const url = hosted.resultUri;
    const path = new URL(url).pathname;
    assert.equal((await post(url, '{"version":1,')).status, 400, 'truncated JSON');
    assert.match((await post(url, '[]')).body.error ?? '', /Not a result delivery/);
    assert.equal((await post(url, JSON.stringify({ ...(await delivery()), extra: 1 }))).status, 400, 'unknown keys');
    assert.equal((await post(url, JSON.stringify(await delivery({ outputs: { y: { dtype: 'float32', dims: [1000], data: 'AAAA' } } })))).status, 400, 'dims disagree with data');
    assert.equal((await post(url, 'hello', 'text/plain')).status, 415);
    assert.equal((await post(url, 'x'.repeat(10_000))).status, 413, 'declared too large');
    assert.equal((await fetch(url, { method: 'PUT' })).status, 405);

    // Chunked, no Content-Length: counted as it arrives.
    const chunked = await raw(url, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2000\r\n${'a'.repeat(0x2000)}\r\n0\r\n\r\n`);
    assert.match(chunked, /^HTTP\/1.1 413/);
    // Slowloris: a few bytes of a promised body, then nothing.
    const started = Date.now();
    const slow = await raw(url, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"ver`, 1);
    assert.match(slow, /^HTTP\/1.1 408/);
    assert.ok(Date.now() - started < 3000, 'the server gave up on its own');
    // Garbage instead of HTTP.
    assert.match(await raw(url, '\x00\x01\x02 not http\r\n\r\n'), /400/);

    assert.equal((await post(url, JSON.stringify(await delivery()))).status, 200, 'still serving after all that');
  } finally {
    await server.close();
  }
});
