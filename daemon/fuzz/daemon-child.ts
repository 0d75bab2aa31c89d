/**
 * The fuzzers' daemon: the real `startDaemon()` in a process of its own, so a crash is an
 * exit the fuzzer sees (not the end of the fuzzer) and its RSS is the daemon's alone. It
 * serves a small renderer folder the fuzzer made, so the static path has files to find.
 *   node --expose-gc --import tsx daemon/fuzz/daemon-child.ts <dataDir> <rendererDir> <memoryFile>
 * The token and port are read from the runtime file, as the CLI does.
 */
import { writeFileSync } from 'node:fs';
import { startDaemon } from '../daemon.ts';

const [dataDir, rendererDir, memoryFile] = process.argv.slice(2);
if (!dataDir || !rendererDir || !memoryFile) {
  process.stderr.write('usage: daemon-child.ts <dataDir> <rendererDir> <memoryFile>\n');
  process.exit(2);
}
// The fuzzer asks for a full collection before it reads RSS (the process runs with --expose-gc),
// so growth it reports is memory still held, not garbage V8 has not yet bothered to collect.
// It writes process.memoryUsage() to <memoryFile> after it, so heap growth (a leak) can be told from RSS the allocator keeps.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  writeFileSync(memoryFile, JSON.stringify(process.memoryUsage()));
});
// Installed before the runtime file appears: SIGUSR2's default action would end the process.
const daemon = await startDaemon({ dataDir, rendererDir, port: 0 });
process.once('SIGTERM', () => {
  void daemon.stop().finally(() => process.exit(0));
});
