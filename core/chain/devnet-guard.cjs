'use strict';
// Runs between Hearth and Anvil: `<node> devnet-guard.cjs <anvil> <args...>`.
// Hearth holds the write end of this process's stdin. When Hearth stops the chain, or dies in
// any way (even SIGKILL), the pipe closes: Anvil then gets SIGTERM so it can write its state
// file, and SIGKILL if it has not exited after the grace period. Anvil does not read stdin
// itself, hence this guard.
const { spawn } = require('node:child_process');

const GRACE_MS = Number(process.env.HEARTH_DEVNET_GRACE_MS) || 10_000;
const [binary, ...args] = process.argv.slice(2);
if (!binary) {
  process.stderr.write('devnet-guard: no program given\n');
  process.exit(2);
}

// Anvil's output goes through us: if Hearth is gone, writing fails here, not inside Anvil
// (where a broken pipe could abort it before it saves the state).
const anvil = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
const quiet = () => undefined;
process.stdout.on('error', quiet);
process.stderr.on('error', quiet);
anvil.stdout.on('data', (chunk) => process.stdout.write(chunk));
anvil.stderr.on('data', (chunk) => process.stderr.write(chunk));
process.stdout.write(`[devnet-guard] anvil pid ${anvil.pid}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  anvil.kill('SIGTERM');
  setTimeout(() => anvil.kill('SIGKILL'), GRACE_MS);
}

anvil.on('error', (error) => {
  process.stderr.write(`devnet-guard: cannot start ${binary}: ${error.message}\n`);
  process.exit(127);
});
// 'close', not 'exit': by then all of Anvil's output has been forwarded.
anvil.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
