import { parseArgs } from 'node:util';
import { EXIT, type CliCommand } from '../command.ts';
import { connectToRunning } from '../connect.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';
import { isHearthError } from '../../../common/errors.ts';

function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show the state of the running daemon or desktop app',
  usage: 'hearth status [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, strict: true });
    const dataDir = values['data-dir'] ?? defaultAppPaths(io.env).dataDir;
    let connection;
    try {
      connection = await connectToRunning(dataDir);
    } catch (error) {
      if (values.json) io.out(`${JSON.stringify({ running: false })}\n`);
      io.err(`${isHearthError(error) ? error.message : String(error)}\n`);
      return EXIT.notRunning;
    }
    try {
      const status = await connection.client.call('app:status', {});
      if (values.json) {
        io.out(`${JSON.stringify({ running: true, ...status })}\n`);
      } else {
        io.out(
          [
            `Hearth ${status.version} (${status.shell}) is running`,
            `  uptime    ${formatUptime(status.uptimeSeconds)}`,
            `  data dir  ${status.dataDir}`,
            `  runtime   ${status.runtime} on ${status.platform}`,
            ...status.warnings.map((w) => `  warning   ${w}`),
          ].join('\n') + '\n',
        );
      }
      return EXIT.ok;
    } finally {
      connection.close();
    }
  },
};
