import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, waitFor } from '../test-support.ts';
import { FLOW } from './pty-session.ts';
import { MAX_SESSIONS_PER_CLIENT } from './sessions.ts';
import { consoleClient, consoleServer } from './testing.ts';
import { processAlive } from '../process-alive.ts';

// Real shells in real pseudo-terminals (node-pty), as users get them.
process.env['SHELL'] = '/bin/bash';

const alive = processAlive;

async function harness() {
  const temp = await tempDir('hearth-console-');
  const server = consoleServer(temp.dir);
  return {
    ...server,
    dir: temp.dir,
    async cleanup() {
      await server.capability.stop();
      await temp.cleanup();
    },
  };
}

test('the shell starts in the data folder with HEARTH_DATA_DIR set and this install\'s hearth first on the PATH', async () => {
  const h = await harness();
  try {
    const client = consoleClient(h.dispatch);
    const id = await client.open();
    const ackAll = setInterval(() => {
      const last = client.batches.at(-1);
      if (last) void client.call('console:ack', { id, seq: last.seq });
    }, 20);
    try {
      await client.call('console:input', { id, data: 'echo "dir=$(pwd)|data=$HEARTH_DATA_DIR|bin=$(command -v hearth)|sum=$((6*7))"\r' });
      await waitFor(async () => (client.text().includes('sum=42') ? true : undefined), 'the echo', 10_000, client.text);
      const line = /dir=(.*)\|data=(.*)\|bin=(.*)\|sum=42/.exec(client.text());
      assert.ok(line, client.text());
      assert.equal(line[1], h.dir);
      assert.equal(line[2], h.dir);
      assert.equal(line[3], join(h.dir, 'cache', 'console-bin', 'hearth'));
      const script = await readFile(line[3], 'utf8');
      assert.match(script, /bin\/hearth\.mjs' "\$@"/, 'the launcher runs this install\'s bin/hearth.mjs');
      assert.ok(script.includes(`'${process.execPath}'`), 'with the Node running Hearth');
      // It really runs: `hearth --help` from inside the console.
      await client.call('console:input', { id, data: 'hearth --help; echo "help-exit=$?"\r' });
      await waitFor(async () => (/help-exit=\d/.test(client.text()) ? true : undefined), 'hearth --help', 30_000, client.text);
      assert.match(client.text(), /help-exit=0/);
      assert.match(client.text(), /Usage: hearth <command>/);
    } finally {
      clearInterval(ackAll);
    }
  } finally {
    await h.cleanup();
  }
});

test('a flood to a client that does not ack stops at the window, stays within a memory bound, and resumes on acks', async () => {
  const h = await harness();
  try {
    let acked = 0;
    let received = 0;
    let worstInFlight = 0;
    const sizes = new Map<number, number>();
    const client = consoleClient(h.dispatch, (batch) => {
      received += batch.data.length;
      sizes.set(batch.seq, batch.data.length);
      worstInFlight = Math.max(worstInFlight, received - acked);
    });
    const id = await client.open();
    const rssBefore = process.memoryUsage().rss;
    // About 100 MB of output if nothing held it back.
    await client.call('console:input', { id, data: 'yes hearth-flood-line | head -c 100000000; echo flood-done\r' });
    await waitFor(async () => (received >= FLOW.window ? true : undefined), 'the first window of output', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stats = h.capability.sessions.stats(id);
    assert.ok(stats, 'the session is open');
    assert.ok(received <= FLOW.window, `the client was sent ${received} units without acking; the window is ${FLOW.window}`);
    assert.equal(stats.paused, true, 'the pty is paused');
    assert.ok(stats.pending <= FLOW.window + 1024 * 1024, `core holds ${stats.pending} units unsent: bounded by what the pty had read`);
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(growthMb < 64, `memory grew ${growthMb.toFixed(1)} MB while the flood was held`);

    // Acking as it draws: output flows again, and never more than the window is unacknowledged.
    let seqAcked = 0;
    const ackFailures: string[] = [];
    const ackUpTo = (seq: number): void => {
      if (seq <= seqAcked) return;
      for (let s = seqAcked + 1; s <= seq; s += 1) acked += sizes.get(s) ?? 0;
      seqAcked = seq;
      void client.call('console:ack', { id, seq }).then((reply) => void (reply.ok || ackFailures.push(reply.message)));
    };
    // From now on each batch is acked a moment after it arrives, as the page does once it has drawn it.
    const drawer = setInterval(() => ackUpTo(client.batches.at(-1)?.seq ?? 0), 2);
    const target = received + 20 * 1024 * 1024;
    try {
      await waitFor(async () => (received >= target ? true : undefined), '20 MB more once acks flow', 60_000);
    } finally {
      clearInterval(drawer);
    }
    assert.deepEqual(ackFailures, []);
    assert.ok(worstInFlight <= FLOW.window, `at worst ${worstInFlight} units were unacknowledged; the window is ${FLOW.window}`);
    // Ctrl-C ends the flood; the shell answers again.
    await client.call('console:input', { id, data: '\x03' });
    await client.call('console:input', { id, data: 'echo after-$((40+2))\r' });
    await waitFor(
      async () => {
        const last = client.batches.at(-1);
        if (last) await client.call('console:ack', { id, seq: last.seq });
        return client.text().includes('after-42') ? true : undefined;
      },
      'the shell after Ctrl-C',
      20_000,
    );
  } finally {
    await h.cleanup();
  }
});

test('the exit code is reported after the last output, and the session is gone', async () => {
  const h = await harness();
  try {
    const client = consoleClient(h.dispatch);
    const id = await client.open();
    await client.call('console:input', { id, data: 'echo bye-now; exit 7\r' });
    await waitFor(async () => (client.exits.length > 0 ? true : undefined), 'the exit event', 10_000);
    assert.deepEqual(client.exits, [{ id, code: 7, signal: null }]);
    assert.match(client.text(), /bye-now/);
    assert.equal(h.capability.sessions.count(), 0);
    const after = await client.call('console:input', { id, data: 'ls\r' });
    assert.equal(after.ok ? 'ok' : after.code, 'console_not_found');
  } finally {
    await h.cleanup();
  }
});

test('hostile input is refused with a clear error and the session keeps working', async () => {
  const h = await harness();
  try {
    const mine = consoleClient(h.dispatch);
    const other = consoleClient(h.dispatch);
    const id = await mine.open();
    const refusals: [string, unknown, string][] = [
      ['console:open', { cols: -1, rows: 24 }, 'bad_input'],
      ['console:open', { cols: 80, rows: 1e9 }, 'bad_input'],
      ['console:open', { cols: 80.5, rows: 24 }, 'bad_input'],
      ['console:open', { cols: '80', rows: 24 }, 'bad_input'],
      ['console:open', { cols: 80, rows: 24, shell: '/bin/evil' }, 'bad_input'],
      ['console:open', null, 'bad_input'],
      ['console:input', { id, data: 42 }, 'bad_input'],
      ['console:input', { id, data: 'x'.repeat(1024 * 1024) }, 'bad_input'],
      ['console:input', { id: 'x'.repeat(10_000), data: 'ls\r' }, 'bad_input'],
      ['console:input', { id: 'c999', data: 'ls\r' }, 'console_not_found'],
      ['console:input', ['not', 'an', 'object'], 'bad_input'],
      ['console:resize', { id, cols: 0, rows: 10 }, 'bad_input'],
      ['console:resize', { id, cols: 100_000, rows: 10 }, 'bad_input'],
      ['console:resize', { id, cols: Number.NaN, rows: 10 }, 'bad_input'],
      ['console:resize', { id, cols: 80, rows: -5 }, 'bad_input'],
      ['console:ack', { id, seq: -1 }, 'bad_input'],
      ['console:ack', { id, seq: 1e300 }, 'bad_input'],
      ['console:ack', { id, seq: 1_000_000 }, 'bad_input'],
      ['console:ack', { id: { $ne: 1 }, seq: 1 }, 'bad_input'],
      ['console:close', { id: 'c999' }, 'console_not_found'],
    ];
    for (const [channel, payload, code] of refusals) {
      const reply = await mine.call(channel, payload);
      assert.equal(reply.ok ? 'ok' : reply.code, code, `${channel} ${JSON.stringify(payload)?.slice(0, 80)}`);
      if (!reply.ok) assert.ok(reply.message.length > 10 && reply.message.length < 400, reply.message);
    }
    // Another client cannot type into, resize, ack or close this session; it is told it does not exist.
    for (const [channel, payload] of [
      ['console:input', { id, data: 'echo stolen\r' }],
      ['console:resize', { id, cols: 20, rows: 5 }],
      ['console:ack', { id, seq: 1 }],
      ['console:close', { id }],
    ] as const) {
      const reply = await other.call(channel, payload);
      assert.equal(reply.ok ? 'ok' : reply.code, 'console_not_found', channel);
    }
    // Without a connected client there is no session to own.
    const anonymous = await h.dispatch('console:open', { cols: 80, rows: 24 });
    assert.equal(anonymous.ok ? 'ok' : anonymous.code, 'console_no_client');
    // The session still answers, resized, and only its owner heard its output.
    assert.equal((await mine.call('console:resize', { id, cols: 123, rows: 45 })).ok, true);
    await mine.call('console:input', { id, data: 'echo "size=$(stty size)"\r' });
    await waitFor(async () => (mine.text().includes('size=45 123') ? true : undefined), 'stty size after resize', 10_000, mine.text);
    assert.equal(other.batches.length, 0, 'the other client heard nothing');
    assert.doesNotMatch(mine.text(), /stolen/);
  } finally {
    await h.cleanup();
  }
});

test('sessions are limited per client, closed when their client goes away, and all killed on stop', async () => {
  const h = await harness();
  try {
    const a = consoleClient(h.dispatch);
    const b = consoleClient(h.dispatch);
    const ids: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_CLIENT; i += 1) ids.push(await a.open());
    const over = await a.call('console:open', { cols: 80, rows: 24 });
    assert.equal(over.ok ? 'ok' : over.code, 'console_limit');
    const pids: number[] = [];
    // The pids come from the shells themselves, not from core's bookkeeping.
    for (const id of ids) {
      await a.call('console:input', { id, data: 'echo "pid=$$"\r' });
    }
    await waitFor(async () => ((a.text().match(/pid=\d+/g) ?? []).length >= ids.length ? true : undefined), 'each shell\'s pid', 10_000, a.text);
    for (const match of a.text().matchAll(/pid=(\d+)/g)) pids.push(Number(match[1]));
    assert.equal(new Set(pids).size, ids.length, 'one shell per session');
    assert.ok(pids.every(alive));

    const bId = await b.open();
    assert.ok(bId);
    a.caller.close();
    await waitFor(async () => (pids.every((pid) => !alive(pid)) ? true : undefined), 'the shells of the client that left to end', 10_000);
    assert.equal(h.capability.sessions.count(), 1, 'the other client keeps its session');
    await h.capability.stop();
    assert.equal(h.capability.sessions.count(), 0);
    const late = await b.call('console:open', { cols: 80, rows: 24 });
    assert.equal(late.ok ? 'ok' : late.code, 'console_unavailable');
  } finally {
    await h.cleanup();
  }
});

test('when the console is off, console:open is refused and says how to turn it on', async () => {
  const temp = await tempDir('hearth-console-off-');
  try {
    const server = consoleServer(temp.dir, false);
    const reply = await consoleClient(server.dispatch).call('console:open', { cols: 80, rows: 24 });
    assert.equal(reply.ok ? 'ok' : reply.code, 'console_disabled');
    assert.match(reply.ok ? '' : reply.message, /hearth daemon --console/);
  } finally {
    await temp.cleanup();
  }
});
