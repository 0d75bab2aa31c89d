import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The guard between Hearth and Anvil, as a POSIX shell script rather than a Node process:
 * a packaged app has no Node to run a script with (Electron's RunAsNode fuse is off), and a
 * shell costs a megabyte where Node costs fifty. Hearth holds the write end of the shell's
 * stdin and never writes to it. When Hearth stops the chain, or dies in any way (even
 * SIGKILL), the pipe closes: a watcher then sends Anvil SIGTERM so it writes its state file,
 * and SIGKILL after the grace period. Anvil does not read stdin itself, hence the guard.
 * The shell exits with Anvil, so Hearth sees the chain stop whichever way it ends.
 *
 * Arguments: $1 grace seconds, $2 the Anvil binary, the rest its arguments.
 */
export const GUARD_SCRIPT = [
  'grace=$1; shift',
  // Background jobs get /dev/null as stdin: keep Hearth's pipe on fd 3 for the watcher, whose
  // own output goes nowhere so a pending `sleep` cannot hold Hearth's pipes open after Anvil exits.
  'exec 3<&0 0</dev/null',
  '"$@" &',
  'anvil=$!',
  'echo "[devnet-guard] anvil pid $anvil"',
  '{ while read -r _ <&3; do :; done; kill -TERM "$anvil"; sleep "$grace"; kill -KILL "$anvil"; } >/dev/null 2>&1 &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$anvil"; code=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$code"',
].join('\n');

/** The line the guard prints first, naming Anvil's own pid. */
export const GUARD_PID_LINE = /^\[devnet-guard\] anvil pid (\d+)$/;

/**
 * Starts Anvil behind the guard. stdin is the pipe whose closing stops it; stdout and stderr
 * carry Anvil's output. Windows has no POSIX shell: Anvil is started directly there, so it
 * stops with a clean shutdown of Hearth but can outlive a crash of it.
 */
export function spawnGuarded(binary: string, args: string[], graceMs: number): ChildProcess {
  const env = { ...process.env, NO_COLOR: '1' };
  if (process.platform === 'win32') {
    return spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env });
  }
  const grace = String(Math.max(1, Math.ceil(graceMs / 1000)));
  return spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'devnet-guard', grace, binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
}
