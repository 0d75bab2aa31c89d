/**
 * The demand simulator process (started by `startDemandSimulator` through the shell's
 * launcher: child_process.fork in the daemon, utilityProcess in Electron). It receives its
 * configuration, keys included, as the first message (never on argv, which other users can
 * read), sends one message per event back, and exits when its parent goes away by any means:
 * under fork the IPC channel disconnects; a utility process ends with Electron's main process.
 */
import { z } from 'zod';
import { deploymentSchema } from '../../common/contracts/addresses.ts';
import { runDemand } from './demand.ts';
import { parentChannel } from './parent-channel.ts';

const configMessage = z.object({
  type: z.literal('config'),
  config: z.object({
    rpcUrl: z.string().url(),
    deployment: deploymentSchema,
    requesterKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
    arbiterKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
    ratePerMinute: z.number().positive(),
    units: z.number().int().positive().optional(),
    maxPricePerUnit: z.string().regex(/^\d+$/),
    classLabels: z.array(z.string()).min(1),
    maxOpen: z.number().int().positive().optional(),
    deadlineSeconds: z.number().int().positive().optional(),
    dataDir: z.string(),
  }),
});

const channel = parentChannel();
const abort = new AbortController();
const line = (event: string, fields: Record<string, unknown> = {}): void => {
  // Plain JSON (bigints as strings): the same through fork's channel and a utility process's port.
  const text = JSON.stringify({ t: Date.now(), event, ...fields }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  channel.send({ type: 'event', event: JSON.parse(text) as unknown });
};
const quit = (code: number): void => {
  process.exit(code);
};

// Parent gone (even SIGKILLed): no orphan keeps posting jobs.
process.on('disconnect', () => quit(0));

let started = false;
channel.onMessage((raw: unknown) => {
  if ((raw as { type?: unknown })?.type === 'stop') {
    abort.abort();
    // Give the loop a moment to close its worker and server, then go regardless.
    setTimeout(() => quit(0), 3_000).unref();
    return;
  }
  if (started) return;
  const parsed = configMessage.safeParse(raw);
  if (!parsed.success) {
    line('error', { error: `bad configuration: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    quit(2);
    return;
  }
  started = true;
  const { config } = parsed.data;
  runDemand({
    ...config,
    arbiterKey: config.arbiterKey,
    maxPricePerUnit: BigInt(config.maxPricePerUnit),
    log: line,
    signal: abort.signal,
  })
    .then(() => {
      line('stopped');
      quit(0);
    })
    .catch((error: unknown) => {
      line('fatal', { error: error instanceof Error ? error.message : String(error) });
      quit(1);
    });
});
