/**
 * Console flood: a shell in a real pty writes ~100 MB as fast as it can (`yes | head -c`);
 * core batches it and holds the pty past the unacknowledged window; the client acks each
 * batch a tick after it arrives, as the page does once xterm has drawn it. The client
 * runs in this process, so RSS counts core and the client together.
 * Run: node --import tsx bench/console-flood.ts [megabytes]
 * Prints `figure console.flood_mb_per_s` and `figure console.flood_rss_growth_mb`.
 */
import { tempDir } from '../core/test-support.ts';
import { FLOW } from '../core/terminal/pty-session.ts';
import { consoleClient, consoleServer } from '../core/terminal/testing.ts';

const megabytes = Number(process.argv[2] ?? 100);
const bytes = megabytes * 1024 * 1024;
process.env['SHELL'] = '/bin/sh';
const { dir, cleanup } = await tempDir('hearth-console-bench-');
const server = consoleServer(dir);
let received = 0;
let acked = 0;
let worstInFlight = 0;
let tail = '';
let ended = false;
const client = consoleClient(
  server.dispatch,
  (batch) => {
    received += batch.data.length;
    // The end marker may straddle two batches: keep a few characters of the last one.
    tail = (tail + batch.data.slice(-64)).slice(-128);
    if (!ended && (tail.includes('FLOOD-2-END') || batch.data.includes('FLOOD-2-END'))) ended = true;
    worstInFlight = Math.max(worstInFlight, received - acked);
    // "Drawn" on the next tick; then acked, like xterm's write callback.
    setImmediate(() => {
      acked += batch.data.length;
      void client.call('console:ack', { id: batch.id, seq: batch.seq });
    });
  },
  { keep: false },
);
try {
  const id = await client.open(120, 40);
  // Let the shell start and print its prompt before measuring.
  await new Promise((resolve) => setTimeout(resolve, 500));
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = received;
  await client.call('console:input', { id, data: `yes hearth-console-flood | head -c ${bytes}; echo; echo FLOOD-$((1+1))-END\r` });
  const began = performance.now();
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`the flood did not finish within 120 s (${received - start} units received)`)),
      120_000,
    );
    const check = setInterval(() => {
      if (ended) {
        clearInterval(check);
        clearTimeout(timeout);
        resolve();
      }
    }, 5);
  });
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (received - start) / 1024 / 1024;
  process.stderr.write(
    `# ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s; worst unacknowledged ${worstInFlight} (window ${FLOW.window}); RSS ${(baseline / 1048576).toFixed(0)} → peak ${(peak / 1048576).toFixed(0)} MB\n`,
  );
  if (worstInFlight > FLOW.window) throw new Error(`more than the window was unacknowledged: ${worstInFlight}`);
  process.stdout.write(`figure console.flood_mb_per_s ${(mb / seconds).toFixed(1)} MB/s\n`);
  process.stdout.write(`figure console.flood_rss_growth_mb ${((peak - baseline) / 1024 / 1024).toFixed(1)} MB\n`);
} finally {
  await server.capability.stop();
  await cleanup();
}
