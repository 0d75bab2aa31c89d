import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

// A host that starts a devnet and is then killed outright must not leave the node (Anvil,
// behind its guard) running.
const host = `
import { startDevnet } from ${JSON.stringify(join(import.meta.dirname, 'devnet.ts'))};
const devnet = await startDevnet();
process.stdout.write(JSON.stringify({ rpcUrl: devnet.rpcUrl }) + '\\n');
setInterval(() => undefined, 1000);
`;

// Matches Anvil itself (not only its guard): the guard's command line has the same flags but
// also the guard script's name, so look for the binary's argv[0].
function nodeRunning(port: string): boolean {
  const result = spawnSync('pgrep', ['-f', `^\\S*/anvil --host 127.0.0.1 --port ${port} `]);
  return result.status === 0;
}

async function answers(rpcUrl: string): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }), signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

test('the devnet node exits when the process that started it is SIGKILLed', { skip: process.platform === 'win32' ? 'uses pgrep' : false }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', host], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { rpcUrl: string }).rpcUrl);
    });
    child.once('exit', (code) => reject(new Error(`host exited early (${code})`)));
  });
  assert.equal(await answers(rpcUrl), true, 'the node is up while its host lives');
  const port = new URL(rpcUrl).port;
  assert.equal(nodeRunning(port), true, 'the process table shows the node');
  child.kill('SIGKILL');
  // Watch the process table, not the RPC port: a request would make the node write to its
  // closed stdout and die of that alone, hiding an idle orphan.
  let alive = true;
  for (let i = 0; i < 50 && alive; i++) {
    await new Promise((r) => setTimeout(r, 200));
    alive = nodeRunning(port);
  }
  assert.equal(alive, false, 'the orphaned node exited by itself');
  assert.equal(await answers(rpcUrl), false);
});
