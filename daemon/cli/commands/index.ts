import type { CliCommand } from '../command.ts';
import { daemonCommand } from './daemon.ts';
import { devicesCommand } from './devices.ts';
import { statusCommand } from './status.ts';

/** Every `hearth <name>` subcommand; capabilities add theirs here. */
export const commands: CliCommand[] = [daemonCommand, statusCommand, devicesCommand];
