// Shared by the console tests and bench/console-flood.ts: a real console capability on a
// temp data folder, served through the real dispatcher, and clients that record events.
import { createCaller, type OwnedCaller } from '../../common/ipc/caller.ts';
import { createDispatcher } from '../../common/ipc/dispatch.ts';
import { consoleCalls, consoleEvents } from '../../common/ipc/groups/console.ts';
import { systemClock } from '../node-ports.ts';
import { memoryLogger } from '../test-support.ts';
import { createConsoleCapability } from './console-capability.ts';

export const consoleContract = { calls: consoleCalls, events: consoleEvents };

/** The console capability alone, as a shell would serve it. */
export function consoleServer(dataDir: string, enabled = true) {
  const logger = memoryLogger();
  const capability = createConsoleCapability(
    { clock: systemClock, logger, paths: { dataDir, cacheDir: `${dataDir}/cache`, logsDir: `${dataDir}/logs` } },
    { enabled },
  );
  const dispatch = createDispatcher(consoleContract, capability.handlers, { onInternalError: (channel, error) => logger.error('internal', { channel, error: String(error) }) });
  return { capability, dispatch, logger };
}

export interface Received {
  id: string;
  seq: number;
  data: string;
}

/** One connected client: what it was sent, and helpers to call as it. */
export function consoleClient(dispatch: ReturnType<typeof consoleServer>['dispatch'], onData?: (batch: Received) => void, options: { keep?: boolean } = {}) {
  const keep = options.keep ?? true;
  const batches: { id: string; seq: number; size: number }[] = [];
  const exits: { id: string; code: number | null; signal: number | null }[] = [];
  let text = '';
  const caller: OwnedCaller = createCaller('test', (channel, payload) => {
    if (channel === 'console:data') {
      const batch = consoleEvents['console:data'].parse(payload);
      // Only the tail, or nothing: a flood must not grow the test's own memory.
      if (keep) {
        batches.push({ id: batch.id, seq: batch.seq, size: batch.data.length });
        text = (text + batch.data).slice(-256 * 1024);
      }
      onData?.(batch);
    } else if (channel === 'console:exit') exits.push(consoleEvents['console:exit'].parse(payload));
  });
  return {
    caller,
    batches,
    exits,
    text: () => text,
    call: (channel: string, payload: unknown) => dispatch(channel, payload, caller),
    async open(cols = 100, rows = 30): Promise<string> {
      const reply = await dispatch('console:open', { cols, rows }, caller);
      if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
      return (reply.value as { id: string }).id;
    },
  };
}
