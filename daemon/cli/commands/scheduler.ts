import { parseArgs } from 'node:util';
import { EXIT, type CliCommand } from '../command.ts';
import { withRunning } from '../connect.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';
import type { SchedulerStatus } from '../../../common/ipc/groups/scheduler.ts';
import { withoutPaused } from '../../../core/scheduler/reasons.ts';

const durations = { '1h': 'hour', hour: 'hour', tomorrow: 'tomorrow', resume: 'resume', 'until-resumed': 'resume' } as const;

/** The status as a few lines a person reads on a headless machine. */
export function describeSchedulerStatus(s: SchedulerStatus): string {
  const lines = [`${s.state}: ${s.reason}`];
  for (const v of s.vetoes.slice(1)) lines.push(`  also        ${withoutPaused(v.message)}`);
  if (s.job) lines.push(`  job         ${s.job.label}${s.job.kind === 'practice' ? ' (practice, unpaid)' : ''}`);
  lines.push(
    `  jobs        ${s.jobsCompleted} finished, ${s.jobsPreempted} stopped for you${s.lastYieldMs !== null ? ` (last in ${Math.round(s.lastYieldMs)} ms)` : ''}`,
  );
  for (const sig of s.signals) lines.push(`  ${sig.signal.padEnd(12)}${sig.available ? 'ok — ' : 'cannot see — '}${sig.detail}`);
  return `${lines.join('\n')}\n`;
}

export const schedulerCommand: CliCommand = {
  name: 'scheduler',
  summary: 'Show why Hearth is or is not working, or pause and resume it',
  usage: 'hearth scheduler [status | pause 1h|tomorrow|resume [--finish-current] | resume] [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, 'finish-current': { type: 'boolean' }, 'data-dir': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [action = 'status', arg] = positionals;
    if (!['status', 'pause', 'resume'].includes(action) || (action === 'pause' && !(arg && arg in durations))) {
      io.err(`Usage: ${schedulerCommand.usage}\n`);
      return EXIT.usage;
    }
    const dataDir = values['data-dir'] ?? defaultAppPaths(io.env).dataDir;
    return withRunning(dataDir, io, async (connection) => {
      const status =
        action === 'pause'
          ? await connection.client.call('scheduler:pause', {
              duration: durations[arg as keyof typeof durations],
              finishCurrent: values['finish-current'] === true,
            })
          : action === 'resume'
            ? await connection.client.call('scheduler:resume', {})
            : await connection.client.call('scheduler:status', {});
      io.out(values.json ? `${JSON.stringify(status)}\n` : describeSchedulerStatus(status));
      return EXIT.ok;
    });
  },
};
