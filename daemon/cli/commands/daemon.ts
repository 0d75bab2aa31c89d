import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { EXIT, type CliCommand } from '../command.ts';
import { readRuntimeFile } from '../../runtime-file.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';

/** A path as a POSIX shell reads it back: bare when safe, else in single quotes. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * What `hearth daemon` prints once it serves. The token goes only to a terminal: piped,
 * stdout is usually a log (the systemd journal, nohup.out) that other users or tools can
 * read, so it gets the address without the token and the command that prints the rest
 * from the runtime file only this user can read.
 */
export function readyMessage(ready: { url: string; port: number }, toTerminal: boolean, dataDirOption?: string): string {
  if (toTerminal) return `Hearth ready at ${ready.url}\n`;
  const urlCommand = dataDirOption === undefined ? 'hearth url' : `hearth url --data-dir ${shellQuote(dataDirOption)}`;
  return (
    `Hearth ready at http://127.0.0.1:${ready.port}/\n` +
    `The access token is kept out of this output (it may be a log others can read): run \`${urlCommand}\` as this user for the full address.\n`
  );
}

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
    // A profile chosen by option or environment is named, so the command works from another shell.
    io.out(readyMessage(daemon, io.outIsTerminal === true, values['data-dir'] ?? io.env.HEARTH_DATA_DIR));
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
