import { parseArgs } from 'node:util';
import { EXIT, type CliCommand } from '../command.ts';
import { withRunning } from '../connect.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';

function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

function formatTokens(wei: string): string {
  const value = BigInt(wei);
  const whole = value / 10n ** 18n;
  const frac = (value % 10n ** 18n).toString().padStart(18, '0').slice(0, 6).replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} HRTH`;
}

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show the state of the running daemon or desktop app',
  usage: 'hearth status [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, strict: true });
    const dataDir = values['data-dir'] ?? defaultAppPaths(io.env).dataDir;
    return withRunning(
      dataDir,
      io,
      async (connection) => {
        const status = await connection.client.call('app:status', {});
        // The market answers once its ledger is open; a Hearth still starting reports it as such.
        const market = await connection.client.call('market:status', {}).catch(() => null);
        const earning = market
          ? {
              state: market.state,
              reason: market.reason,
              currentJob: market.currentJob,
              jobsPaid: market.jobsPaid,
              earnedWei: market.earnedWei,
              lastPaymentAt: market.lastPaymentAt,
            }
          : { state: 'starting', reason: 'The market is starting.', currentJob: null, jobsPaid: 0, earnedWei: '0', lastPaymentAt: null };
        if (values.json) {
          io.out(`${JSON.stringify({ running: true, ...status, earning })}\n`);
        } else {
          io.out(
            [
              `Hearth ${status.version} (${status.shell}) is running`,
              `  uptime    ${formatUptime(status.uptimeSeconds)}`,
              `  data dir  ${status.dataDir}`,
              `  runtime   ${status.runtime} on ${status.platform}`,
              `  earning   ${earning.state}: ${earning.reason}`,
              `  paid      ${earning.jobsPaid} job(s), ${formatTokens(earning.earnedWei)}${earning.lastPaymentAt ? `, last ${new Date(earning.lastPaymentAt).toLocaleString()}` : ''}`,
              ...(earning.currentJob
                ? [
                    `  job       #${earning.currentJob.jobId} ${earning.currentJob.model} (${earning.currentJob.units} units) ${earning.currentJob.state}`,
                  ]
                : []),
              ...status.warnings.map((w) => `  warning   ${w}`),
            ].join('\n') + '\n',
          );
        }
        return EXIT.ok;
      },
      () => {
        if (values.json) io.out(`${JSON.stringify({ running: false })}\n`);
      },
    );
  },
};
