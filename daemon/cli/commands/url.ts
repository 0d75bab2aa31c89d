import { parseArgs } from 'node:util';
import { EXIT, type CliCommand } from '../command.ts';
import { readRuntimeFile } from '../../runtime-file.ts';
import { accessUrl } from '../../token.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';

/**
 * The daemon's full address, token included, for whoever can read its 0600 runtime file:
 * the way to open the UI of a daemon whose output went to a log, where the token is not printed.
 */
export const urlCommand: CliCommand = {
  name: 'url',
  summary: 'Print the full address of the running daemon, with its access token',
  usage: 'hearth url [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, strict: true });
    const dataDir = values['data-dir'] ?? defaultAppPaths(io.env).dataDir;
    const info = await readRuntimeFile(dataDir);
    if (!info) {
      io.err(`Hearth is not running for ${dataDir}. Start it with \`hearth daemon\` (or pass the --data-dir it was started with).\n`);
      return EXIT.notRunning;
    }
    if (info.shell === 'desktop') {
      // The desktop app's loopback port carries only the API for the CLI, no page to open.
      io.err(`Hearth runs as the desktop app for ${dataDir}: open its window (from the tray). It serves no page in a browser.\n`);
      return EXIT.failure;
    }
    io.out(`${accessUrl(info.port, info.token)}\n`);
    return EXIT.ok;
  },
};
