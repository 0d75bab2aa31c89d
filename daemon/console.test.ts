import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import { tempDir, waitFor } from '../core/test-support.ts';
import { startDaemon, type RunningDaemon } from './daemon.ts';
import { processAlive } from '../core/process-alive.ts';

// The daemon with its real provider, without a chain: only the console matters here.
process.env['HEARTH_DEVNET'] = 'off';
process.env['HEARTH_SIMULATOR'] = 'off';
process.env['SHELL'] = '/bin/bash';

interface Socket {
  ws: WebSocket;
  events: { channel: string; payload: { id?: string; data?: string; seq?: number } }[];
  call(channel: string, payload: unknown): Promise<{ ok: boolean; code?: string; message?: string; value?: unknown }>;
  text(): string;
}

async function connect(daemon: RunningDaemon): Promise<Socket> {
  const ws = new WebSocket(`ws://127.0.0.1:${daemon.port}/api?token=${daemon.token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const events: Socket['events'] = [];
  const waiting = new Map<number, (envelope: never) => void>();
  let next = 1;
  ws.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString()) as { type: string; id: number; envelope: never; channel: string; payload: never };
    if (message.type === 'result') waiting.get(message.id)?.(message.envelope);
    else events.push({ channel: message.channel, payload: message.payload });
  });
  return {
    ws,
    events,
    call(channel, payload) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, channel, payload }));
      });
    },
    text: () => events.filter((e) => e.channel === 'console:data').map((e) => e.payload.data).join(''),
  };
}

test('a daemon started without --console refuses console:open and says how to turn it on', async () => {
  const { dir, cleanup } = await tempDir('hearth-daemon-console-');
  const daemon = await startDaemon({ dataDir: join(dir, 'data'), rendererDir: join(dir, 'none') });
  try {
    const socket = await connect(daemon);
    const reply = await socket.call('console:open', { cols: 80, rows: 24 });
    assert.equal(reply.code, 'console_disabled');
    assert.match(reply.message ?? '', /hearth daemon --console/);
    socket.ws.close();
  } finally {
    await daemon.stop();
    await cleanup();
  }
});

test('with --console, a session\'s output goes only to the socket that opened it, and closing that socket ends the shell', async () => {
  const { dir, cleanup } = await tempDir('hearth-daemon-console-');
  const daemon = await startDaemon({ dataDir: join(dir, 'data'), rendererDir: join(dir, 'none'), console: true });
  try {
    const owner = await connect(daemon);
    const bystander = await connect(daemon);
    const opened = await owner.call('console:open', { cols: 80, rows: 24 });
    assert.equal(opened.ok, true, opened.message);
    const { id } = opened.value as { id: string };
    await owner.call('console:input', { id, data: 'echo "pid=$$ answer=$((6*7))"\r' });
    await waitFor(async () => (/answer=42/.test(owner.text()) ? true : undefined), 'the echo over the socket', 10_000, () => owner.text());
    const pid = Number(/pid=(\d+) answer=42/.exec(owner.text())?.[1]);
    assert.ok(pid > 0);
    assert.deepEqual(bystander.events.filter((e) => e.channel.startsWith('console:')), [], 'the other socket heard nothing');
    const stolen = await bystander.call('console:input', { id, data: 'exit\r' });
    assert.equal(stolen.code, 'console_not_found');

    owner.ws.close();
    await waitFor(
      async () => (processAlive(pid) ? undefined : true),
      'the shell to end once its socket closed',
      10_000,
    );
    bystander.ws.close();
  } finally {
    await daemon.stop();
    await cleanup();
  }
});
