import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { tempDir } from '../test-support.ts';
import { realClock } from './clock.ts';
import { ToolError, execTool } from './exec.ts';
import { createFakeClock } from './testing/fake-clock.ts';
import { fakeBin } from './testing/paths.ts';
import { processAlive } from '../process-alive.ts';

const env = (extra: Record<string, string> = {}) => ({ ...process.env, FAKE_NVIDIA_SMI_FRAME: '0', ...extra });
const smi = (kind: Parameters<typeof fakeBin>[0]) => path.join(fakeBin(kind), 'nvidia-smi');

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await sleep(25);
  }
  assert.fail(`gave up waiting for ${what}`);
}

const alive = processAlive;

test('replays a recorded output through the fake nvidia-smi', async () => {
  const r = await execTool(smi('bin'), ['--query-gpu=index,name', '--format=csv,noheader'], { clock: realClock, timeoutMs: 20_000, env: env() });
  assert.equal(r.stdout, '0, NVIDIA GeForce RTX 2070\n1, NVIDIA GeForce RTX 2070\n');
});

test('a hung tool is killed with its children at the timeout, and the call returns', { skip: process.platform === 'win32' ? 'POSIX shell fixture' : false }, async () => {
  const tmp = await tempDir();
  try {
    const pidFile = path.join(tmp.dir, 'child.pid');
    const clock = createFakeClock();
    const p = execTool(smi('bin-hang'), ['-q', '-x'], { clock, timeoutMs: 5000, env: env({ FAKE_HANG_PID_FILE: pidFile }) });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the hanging child to start');
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(alive(childPid));
    let settled = false;
    void p.catch(() => undefined).finally(() => (settled = true));
    await clock.advance(4999);
    assert.equal(settled, false);
    await clock.advance(1);
    await assert.rejects(p, (e: unknown) => e instanceof ToolError && e.code === 'timeout' && /did not answer/.test(e.message));
    await until(() => !alive(childPid), 'the child to be killed');
  } finally {
    await tmp.cleanup();
  }
});

test('non-zero exit is an "exit" error carrying the tool\'s message', async () => {
  await assert.rejects(execTool(smi('bin-fail'), ['-L'], { clock: realClock, timeoutMs: 20_000 }), (e: unknown) => {
    assert.ok(e instanceof ToolError);
    assert.equal(e.code, 'exit');
    assert.equal(e.exitCode, 9);
    assert.match(e.message, /couldn't communicate with the NVIDIA driver/);
    return true;
  });
});

test('a missing binary is "absent"', async () => {
  await assert.rejects(execTool('/nonexistent/nvidia-smi', [], { clock: realClock, timeoutMs: 5000 }), (e: unknown) => e instanceof ToolError && e.code === 'absent');
});

test('output beyond the cap is refused', async () => {
  await assert.rejects(
    execTool(smi('bin'), ['-q', '-x'], { clock: realClock, timeoutMs: 20_000, maxBytes: 1000, env: env() }),
    (e: unknown) => e instanceof ToolError && e.code === 'too-large',
  );
});
