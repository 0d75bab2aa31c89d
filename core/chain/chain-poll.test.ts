import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../node-ports.ts';
import { openSettingsStore } from '../settings/store.ts';
import { memoryLogger, steppingClock } from '../test-support.ts';
import { ChainService } from './chain-service.ts';

// A daemon at rest must not ask the local chain for its block number every second forever:
// the chain mines only on transactions. Fast while blocks come or right after a send, slow after.
test('the devnet is polled fast after a block or a sent transaction, then at the slow pace', async () => {
  let block = 1;
  let polls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      if (method === 'eth_blockNumber') polls++;
      const result = method === 'eth_chainId' ? '0x7a69' : `0x${block.toString(16)}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rpcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const chain = new ChainService({
    clock: systemClock,
    logger: memoryLogger(),
    settings: await openSettingsStore(mkdtempSync(join(tmpdir(), 'hearth-poll-'))),
    devnetMode: 'auto',
    startDevnet: async () => ({ rpcUrl, chainId: 31337, accounts: [], stop: async () => undefined }),
    pollMs: { devnet: 50, remote: 1000, quiet: 600 },
    onStatus: () => undefined,
    onBlock: () => undefined,
  });
  const countOver = async (ms: number): Promise<number> => {
    const start = polls;
    await new Promise((r) => setTimeout(r, ms));
    return polls - start;
  };
  try {
    chain.start();
    assert.ok((await countOver(500)) >= 4, 'fast while the chain has just started');
    await countOver(700); // the quiet period runs out
    assert.ok((await countOver(1500)) <= 3, 'slow once nothing happens');
    block = 2; // a block arrives: the next slow poll sees it and the pace is fast again
    await countOver(1100);
    assert.ok((await countOver(400)) >= 3, 'fast again after a new block');
    await countOver(900);
    chain.hurry(); // a transaction was sent
    assert.ok((await countOver(400)) >= 3, 'fast again right after a send');
  } finally {
    await chain.stop();
    server.close();
  }
});

// A clock set back a day (NTP after a wrong RTC, a user fixing the time) used to stop the
// polling until the clock caught up: no new blocks, no confirmations, no market loop.
test('the chain is still polled after the clock is set back a day, and a new block is seen', async () => {
  let block = 1;
  let polls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      if (method === 'eth_blockNumber') polls++;
      const result = method === 'eth_chainId' ? '0x7a69' : `0x${block.toString(16)}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rpcUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = steppingClock();
  const blocks: number[] = [];
  const chain = new ChainService({
    clock,
    logger: memoryLogger(),
    settings: await openSettingsStore(mkdtempSync(join(tmpdir(), 'hearth-poll-'))),
    devnetMode: 'auto',
    startDevnet: async () => ({ rpcUrl, chainId: 31337, accounts: [], stop: async () => undefined }),
    pollMs: { devnet: 50, remote: 200, quiet: 600 },
    onStatus: () => undefined,
    onBlock: (n) => blocks.push(n),
  });
  try {
    chain.start();
    await new Promise((r) => setTimeout(r, 300));
    clock.jump(-86_400_000);
    const before = polls;
    block = 2;
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(polls - before >= 3, `polled ${polls - before} times in the second after the step back`);
    assert.deepEqual(blocks, [1, 2]);
    assert.equal(chain.status().blockNumber, 2);
  } finally {
    await chain.stop();
    server.close();
  }
});
