import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { EXIT, type CliCommand } from '../command.ts';
import { readRuntimeFile } from '../../runtime-file.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';

export const daemonCommand: CliCommand = {
  name: 'daemon',
  summary: 'Run Hearth without a display and serve its UI on 127.0.0.1',
  usage: 'hearth daemon [--port N] [--data-dir DIR] [--console]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, console: { type: 'boolean', default: false } },
      strict: true,
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}.\n`);
      return EXIT.usage;
    }
    const dataDir = values['data-dir'] ?? defaultAppPaths(io.env).dataDir;
    const existing = await readRuntimeFile(dataDir);
    if (existing) {
      io.err(`Hearth is already running (${existing.shell}, pid ${existing.pid}) for ${dataDir}. Stop it first, or use --data-dir.\n`);
      return EXIT.failure;
    }
    // A background process that waits on the network most of its life: V8's smaller-heap
    // heuristics keep its resident memory near what it uses (186 → 120 MB measured after the
    // devnet deploy) at the cost of speed it does not need. Set before core is loaded.
    setFlagsFromString('--optimize-for-size');
    // Loaded here, not at the top: `hearth status` and the other commands never load core.
    const { startDaemon } = await import('../../daemon.ts');
    const daemon = await startDaemon({ dataDir, port, console: values.console });
    // On stderr, so scripts reading the ready line on stdout see the same output as before.
    if (values.console) io.err('The Console is on: anyone with the address below can open a shell on this machine as you.\n');
    io.out(`Hearth ready at ${daemon.url}\n`);
    await new Promise<void>((resolve) => {
      const shutdown = (): void => {
        process.off('SIGINT', shutdown);
        process.off('SIGTERM', shutdown);
        io.err('Stopping Hearth…\n');
        void daemon.stop().then(resolve);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    });
    return EXIT.ok;
  },
};
