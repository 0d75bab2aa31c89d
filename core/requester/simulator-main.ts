/**
 * The demand simulator process (forked by `startDemandSimulator`). It receives its
 * configuration, keys included, as the first IPC message (never on argv, which other
 * users can read), writes one JSON line per event to stdout, and exits when its parent
 * goes away by any means: the IPC channel disconnects or stdin closes.
 */
import { z } from 'zod';
import { deploymentSchema } from '../../common/contracts/addresses.ts';
import { runDemand } from './demand.ts';

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

const abort = new AbortController();
const line = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ t: Date.now(), event, ...fields }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
};
const quit = (code: number): void => {
  process.exit(code);
};

// Parent gone (even SIGKILLed): no orphan keeps posting jobs.
process.on('disconnect', () => quit(0));
process.stdin.on('end', () => quit(0));
process.stdin.on('error', () => quit(0));
process.stdin.resume();

let started = false;
process.on('message', (raw: unknown) => {
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
