import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { realClock } from './clock.ts';
import { ToolError } from './exec.ts';
import { createNvidiaLoop } from './nvidia-loop.ts';
import { parseTelemetryCsv } from './nvidia-query.ts';
import { createFakeClock } from './testing/fake-clock.ts';
import { fakeBin } from './testing/paths.ts';

const smi = (kind: Parameters<typeof fakeBin>[0]) => path.join(fakeBin(kind), 'nvidia-smi');

test('loop mode: one long-lived nvidia-smi, complete dual-GPU blocks', async () => {
  const loop = createNvidiaLoop({ path: smi('bin'), clock: realClock, env: { ...process.env, FAKE_NVIDIA_SMI_FRAME: '0' }, intervalMs: 200, expectedGpus: 2 });
  try {
    const { items } = parseTelemetryCsv(await loop.latestCsv());
    assert.deepEqual(items.map((s) => s.deviceId), ['nvidia:00000000:01:00.0', 'nvidia:00000000:02:00.0']);
    assert.deepEqual(items.map((s) => s.powerDrawW), [9.23, 11.82]);
  } finally {
    loop.close();
  }
});

test('loop mode: values change as the tool prints new blocks (recorded idle/load frames)', async () => {
  const loop = createNvidiaLoop({ path: smi('bin'), clock: realClock, env: { ...process.env, FAKE_NVIDIA_SMI_SCENARIO: 'kde-4080' }, intervalMs: 100, expectedGpus: 1 });
  try {
    const seen = new Set<number | null>();
    for (let i = 0; i < 100 && seen.size < 2; i++) {
      seen.add(parseTelemetryCsv(await loop.latestCsv()).items[0]?.powerDrawW ?? null);
      await sleep(50);
    }
    assert.deepEqual([...seen].sort(), [26.2, 84.24]);
  } finally {
    loop.close();
  }
});

test('loop mode: a tool that never prints times out and is killed', async () => {
  const clock = createFakeClock();
  const loop = createNvidiaLoop({ path: smi('bin-hang'), clock, intervalMs: 1000, firstBlockTimeoutMs: 5000 });
  const p = loop.latestCsv();
  await clock.advance(5000);
  await assert.rejects(p, (e: unknown) => e instanceof ToolError && e.code === 'timeout');
  loop.close();
});

test('loop mode: a failing tool reports its message', async () => {
  const loop = createNvidiaLoop({ path: smi('bin-fail'), clock: realClock, intervalMs: 1000 });
  await assert.rejects(loop.latestCsv(), (e: unknown) => e instanceof ToolError && e.code === 'exit' && /NVIDIA driver/.test(e.message));
  loop.close();
});

test('loop mode: output that stops (hung driver) is detected as stale, then restarted', async () => {
  const clock = createFakeClock();
  // A long interval: the child prints once, then stays silent for the rest of the test.
  const loop = createNvidiaLoop({ path: smi('bin'), clock, env: { ...process.env, FAKE_NVIDIA_SMI_FRAME: '0' }, intervalMs: 60_000, expectedGpus: 2 });
  try {
    const first = loop.latestCsv();
    assert.equal(parseTelemetryCsv(await first).items.length, 2);
    await clock.advance(3 * 60_000 + 5001);
    await assert.rejects(loop.latestCsv(), (e: unknown) => e instanceof ToolError && e.code === 'timeout' && /stopped reporting/.test(e.message));
    // The next read starts a fresh process and answers again.
    assert.equal(parseTelemetryCsv(await loop.latestCsv()).items.length, 2);
  } finally {
    loop.close();
  }
});
