/**
 * The inference worker: a child process that owns onnxruntime-node. It is started by the
 * supervisor in core/worker (child_process.fork or Electron utilityProcess) and talks only
 * through the protocol in common/worker/protocol.ts. ORT's run() blocks this thread, which
 * is exactly why it lives here and not in the host: the host stays responsive and can kill
 * this process at any moment. It never sees keys, tokens or the chain.
 */
import {
  PROTOCOL_VERSION,
  createSeqGuard,
  hostMessage,
  type HostMessage,
  type WorkerMessageBody,
} from '../common/worker/protocol.ts';
import { WorkerError, createRuntime } from './runtime.ts';
import { readWireInputs, writeWireOutputs } from './xfer.ts';
import * as ort from 'onnxruntime-node';

interface Channel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The parent link: process.send under fork, process.parentPort under Electron's utilityProcess. */
function parentChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) };
  }
  if (!process.send) {
    process.stderr.write('hearth worker: no parent channel; this entry is started by the Hearth supervisor.\n');
    process.exit(2);
  }
  return { send: (m) => process.send?.(m), onMessage: (l) => process.on('message', l) };
}

const channel = parentChannel();
const threads = Math.max(1, Number(process.env.HEARTH_WORKER_THREADS) || 1);
const xferDir = process.env.HEARTH_WORKER_XFER_DIR || undefined;
const heartbeatMs = Math.max(50, Number(process.env.HEARTH_WORKER_HEARTBEAT_MS) || 1000);
const runtime = createRuntime({ threads });
const guard = createSeqGuard();
let seq = 0;
let busy = false;
let jobsRun = 0;
const cancelled = new Set<string>();
let shuttingDown = false;

function send(body: WorkerMessageBody): void {
  seq += 1;
  channel.send({ ...body, seq });
}

function log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  send({ type: 'log', level, message: message.slice(0, 4000) });
}

function failure(error: unknown): { code: string; message: string } {
  if (error instanceof WorkerError) return { code: error.code, message: error.message.slice(0, 4000) };
  return { code: 'run_failed', message: `ONNX Runtime failed: ${String((error as Error)?.message ?? error).slice(0, 1000)}` };
}

// Jobs run one at a time in arrival order; ORT would serialize them on this thread anyway.
let chain: Promise<void> = Promise.resolve();

async function handle(message: HostMessage): Promise<void> {
  switch (message.type) {
    case 'load': {
      try {
        const result = await runtime.load(message.modelKey, message.path, message.providers);
        send({ type: 'loaded', re: message.seq, modelKey: message.modelKey, ...result });
      } catch (error) {
        send({ type: 'error', re: message.seq, ...failure(error) });
      }
      return;
    }
    case 'run': {
      if (cancelled.delete(message.jobId)) {
        send({ type: 'error', re: message.seq, jobId: message.jobId, code: 'cancelled', message: 'The job was cancelled.' });
        return;
      }
      busy = true;
      try {
        const inputs = readWireInputs(xferDir, message.inputs);
        const result = await runtime.run(message.modelKey, inputs, {
          sliceRows: message.sliceRows,
          maxOutputBytes: message.maxOutputBytes,
          cancelled: () => cancelled.has(message.jobId) || shuttingDown,
        });
        jobsRun += 1;
        send({ type: 'result', re: message.seq, jobId: message.jobId, ...result, outputs: writeWireOutputs(xferDir, `w${message.seq}`, result.outputs) });
      } catch (error) {
        send({ type: 'error', re: message.seq, jobId: message.jobId, ...failure(error) });
      } finally {
        cancelled.delete(message.jobId);
        busy = false;
      }
      return;
    }
    case 'unload':
      await runtime.unload(message.modelKey);
      return;
    default:
      return;
  }
}

function stats(re?: number): void {
  const mem = process.memoryUsage();
  send({ type: 'stats', ...(re ? { re } : {}), rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, sessions: runtime.sessionCount(), jobsRun });
}

channel.onMessage((raw) => {
  const parsed = hostMessage.safeParse(raw);
  if (!parsed.success || !guard.accept(parsed.data.seq)) {
    log('warn', 'ignored a malformed or out-of-order message from the host');
    return;
  }
  const message = parsed.data;
  // Control messages act at once; work is queued behind the job in flight.
  if (message.type === 'cancel') {
    cancelled.add(message.jobId);
    return;
  }
  if (message.type === 'stats') {
    stats(message.seq);
    return;
  }
  if (message.type === 'shutdown') {
    shuttingDown = true;
    // Between slices the running job sees shuttingDown; exiting here drops nothing the host still waits for.
    process.exit(0);
  }
  chain = chain.then(() => handle(message)).catch((error: unknown) => log('error', String(error)));
});

setInterval(() => send({ type: 'heartbeat', busy, rssBytes: process.memoryUsage().rss }), heartbeatMs).unref();
send({ type: 'hello', protocol: PROTOCOL_VERSION, pid: process.pid, ortVersion: ort.env.versions.node ?? 'unknown' });
// Stay alive while the parent link is open; exit when the host goes away.
process.on('disconnect', () => process.exit(0));
